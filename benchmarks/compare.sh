#!/usr/bin/env bash
# Measures what Sluice adds to a request, side by side with nginx as a plain reverse proxy, on this machine, in
# one run, on loopback only. It starts the mock upstream (benchmarks.jar), Sluice (gateway-server/target/sluice.jar)
# with providers pointed at the mock, nginx when installed, and the Reactor Netty floor (BareProxy: the server and
# pooled client Sluice is built on, doing nothing else); drives the same load at each (direct to the mock, through
# nginx, through the floor, through Sluice) and prints one Markdown table.
#
#   benchmarks/compare.sh            full run: a few minutes on 2 cores
#   benchmarks/compare.sh --smoke    every step for a second or so: proves the script still works (CI)
#
# Environment: SLUICE_JAVA_OPTS (JVM flags of the gateway, default "-Xmx256m"), LOAD_TOOL=wrk|java (default: wrk
# when installed), JAVA_HOME (a JDK 21+; found like ./sluice does otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
case "${1:-}" in
  --smoke) MODE=smoke ;;
  "") ;;
  *) echo "usage: benchmarks/compare.sh [--smoke]" >&2; exit 2 ;;
esac

if [ "$MODE" = smoke ]; then
  LAT_ROUNDS=1; LAT_SECONDS=1; WARMUP_SECONDS=1; RATE_STEPS="16"; RATE_SECONDS=1; STREAM_REQUESTS=5; STREAM_WARMUP=2; BATCH_LINES=1000
  BATCH_WARMUP_LINES=200
  PREWARM_SECONDS=1
else
  LAT_ROUNDS=3; LAT_SECONDS=5; WARMUP_SECONDS=2; RATE_STEPS="64 256 512 1024 2048"; RATE_SECONDS=6; STREAM_REQUESTS=100; STREAM_WARMUP=20
  BATCH_LINES=100000; BATCH_WARMUP_LINES=20000; PREWARM_SECONDS=10
fi
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx256m}

# ------------------------------------------------------------------------------------------------ tools
SCRIPT=compare
# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

# ------------------------------------------------------------------------------------------------ processes
echo "compare: mode $MODE; work directory $WORK"
"$JAVA" "${QUIET_JAVA[@]}" -Xmx512m -cp "$BENCH_JAR" dev.sluice.benchmarks.upstream.MockUpstream --port 0 >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!
PIDS+=($MOCK_PID)
MOCK=$(wait_for_url "$WORK/mock.log" "listening on")
echo "compare: mock upstream at $MOCK"

mkdir -p "$WORK/data"
cat >"$WORK/sluice.yaml" <<EOF
# Access logs off on both proxies (nginx has access_log off below): the comparison is of proxying alone.
server: {host: 127.0.0.1, port: 0, access_log: false}
providers:
  fast: {type: openai, base_url: "$MOCK/v1", max_connections: 1024}
  slow: {type: openai, base_url: "$MOCK/latency_ms=20/v1", max_connections: 2048}
  stream: {type: openai, base_url: "$MOCK/chunks=20/chunk_gap_ms=10/v1", max_connections: 64}
store: {url: "r2dbc:h2:file:///$WORK/data/sluice"}
EOF
# shellcheck disable=SC2086
(cd "$WORK" && exec "$JAVA" "${QUIET_JAVA[@]}" $SLUICE_JAVA_OPTS -jar "$OLDPWD/$SLUICE_JAR" --config "$WORK/sluice.yaml") >"$WORK/sluice.log" 2>&1 &
SLUICE_PID=$!
PIDS+=($SLUICE_PID)
SLUICE=$(wait_for_url "$WORK/sluice.log" "sluice listening on")
echo "compare: Sluice at $SLUICE (JVM flags: $SLUICE_JAVA_OPTS)"

"$JAVA" "${QUIET_JAVA[@]}" $SLUICE_JAVA_OPTS -cp "$BENCH_JAR" dev.sluice.benchmarks.floor.BareProxy --upstream "$MOCK" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=($FLOOR_PID)
FLOOR=$(wait_for_url "$WORK/floor.log" "bare proxy listening on")
echo "compare: Reactor Netty floor (BareProxy) at $FLOOR (JVM flags: $SLUICE_JAVA_OPTS)"

NGINX_URL=""
if [ -n "$NGINX" ]; then
  start_nginx "" 4096
  echo "compare: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') at $NGINX_URL (reverse proxy to the mock, keep-alive, buffering off)"
else
  echo "compare: nginx is not installed: its column is skipped (install it, e.g. apt-get install -y nginx, to compare)"
fi

# ------------------------------------------------------------------------------------------------ load
body() { printf '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"How fast is this gateway? Answer briefly."}]}' "$1" "$2"; }

# unary URL MODEL CONCURRENCY-LIST SECONDS: one "key=value ..." line per concurrency step.
unary() {
  local url=$1 model=$2 steps=$3 seconds=$4
  if [ "$LOAD_TOOL" = wrk ]; then
    local lua="$WORK/post-$RANDOM.lua"
    printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$(body "$model" false)" >"$lua"
    for c in ${steps//,/ }; do
      local threads=$(( c > 1 ? 2 : 1 ))
      timeout $((seconds + WARMUP_SECONDS + 30)) wrk -t"$threads" -c"$c" -d"${WARMUP_SECONDS}s" --timeout 5s -s "$lua" "$url" >/dev/null 2>&1 || true
      local ticks; ticks=$(cpu_ticks)
      timeout $((seconds + 30)) wrk -t"$threads" -c"$c" -d"${seconds}s" --timeout 5s --latency -s "$lua" "$url" >"$WORK/wrk.out" 2>&1 || true
      ticks=$(( $(cpu_ticks) - ticks ))
      awk -v c="$c" -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rps = $2 }
        /Non-2xx/ { non2xx = $NF }
        /Socket errors/ { gsub(",", ""); errs = $4 + $6 + $8 + $10 }
        END { printf "mode=unary concurrency=%d requests=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f cpu_us=%.0f\n", c, requests, non2xx + errs, rps, p50, p99,
                     requests ? ticks * 1000000 / hz / requests : 0 }
      ' "$WORK/wrk.out"
    done
  else
    timeout $(( (seconds + WARMUP_SECONDS) * 8 + 60 )) "$JAVA" "${QUIET_JAVA[@]}" -Xmx512m -cp "$BENCH_JAR" dev.sluice.benchmarks.load.LoadDriver unary \
      --url "$url" --body "$(body "$model" false)" --concurrency "${steps// /,}" --seconds "$seconds" --warmup-seconds "$WARMUP_SECONDS" 2>/dev/null
  fi
}

stream() {
  timeout 300 "$JAVA" "${QUIET_JAVA[@]}" -Xmx512m -cp "$BENCH_JAR" dev.sluice.benchmarks.load.LoadDriver stream \
    --url "$1" --body "$(body "$2" true)" --requests "$STREAM_REQUESTS" --warmup-requests "$STREAM_WARMUP" 2>/dev/null
}

field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }
# The median of a field over several lines (one per round).
median() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# The best step of a rate run: the highest rate with p99 under 1 s and errors under 0.1%, and the CPU time per
# request of the target's own processes at that step (wrk only).
best_rate() {
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
         if (v["requests"] > 0 && v["p99_ms"] < 1000 && v["errors"] / v["requests"] < 0.001 && v["rps"] > best) { best = v["rps"]; c = v["concurrency"]; p = v["p99_ms"]; cpu = v["cpu_us"] } }
       END { if (best > 0) printf "%.0f %s %.1f %s\n", best, c, p, (cpu == "" ? "n/a" : cpu); else print "0 - - n/a" }'
}
# The processes that do a target's work: the mock for direct calls, nginx's workers, the floor's or Sluice's JVM.
pids_of() {
  case "$1" in
    direct) echo "$MOCK_PID" ;;
    nginx) pgrep -P "$NGINX_PID" | tr '\n' ' ' ;;
    floor) echo "$FLOOR_PID" ;;
    sluice) echo "$SLUICE_PID" ;;
  esac
}

declare -A TARGETS=([direct]="$MOCK" [sluice]="$SLUICE")
NAMES=(direct)
[ -n "$NGINX_URL" ] && { TARGETS[nginx]="$NGINX_URL"; NAMES+=(nginx); }
TARGETS[floor]="$FLOOR"; NAMES+=(floor sluice)
model_for() { if [ "$1" = sluice ]; then echo "$2/bench-model"; else echo bench-model; fi; }
path_for() { if [ "$1" = sluice ]; then echo "/v1/chat/completions"; else echo "$3/v1/chat/completions"; fi; }

sleep 2
RSS_IDLE=$(rss_kb "$SLUICE_PID" VmRSS)
echo "compare: Sluice idle RSS $((RSS_IDLE / 1024)) MB"
echo "compare: load generated by: $([ "$LOAD_TOOL" = wrk ] && echo "wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}') (unary)" || echo "LoadDriver, Reactor Netty client in its own JVM (unary)"), LoadDriver (streaming), BatchThroughput (batch, in-process engine)"

echo "compare: pre-warming every target for ${PREWARM_SECONDS}s (JIT), results discarded"
for name in "${NAMES[@]}"; do
  WARMUP_SECONDS=1 unary "${TARGETS[$name]}$(path_for "$name" fast "")" "$(model_for "$name" fast)" 16 "$PREWARM_SECONDS" >/dev/null
done

declare -A LAT RATE STREAM
# Latency in rounds, the targets taking turns, so that a burst of other work on the machine hits one round of
# each rather than all of one target's measurement; each percentile is the median of the rounds.
for round in $(seq 1 "$LAT_ROUNDS"); do
  for name in "${NAMES[@]}"; do
    CPU_PIDS=$(pids_of "$name")
    line=$(unary "${TARGETS[$name]}$(path_for "$name" fast "")" "$(model_for "$name" fast)" 1 "$LAT_SECONDS")
    LAT[$name]="${LAT[$name]:-}$line"$'\n'
    echo "compare: latency  $name (round $round): $line"
  done
done
for name in "${NAMES[@]}"; do
  CPU_PIDS=$(pids_of "$name")
  RATE[$name]=$(unary "${TARGETS[$name]}$(path_for "$name" slow "/latency_ms=20")" "$(model_for "$name" slow)" "$RATE_STEPS" "$RATE_SECONDS")
  echo "${RATE[$name]}" | sed "s/^/compare: rate     $name: /"
done
for name in "${NAMES[@]}"; do
  # The floor reads each answer whole before passing it on: it has nothing to say about streams.
  [ "$name" = floor ] && continue
  STREAM[$name]=$(stream "${TARGETS[$name]}$(path_for "$name" stream "/chunks=20/chunk_gap_ms=10")" "$(model_for "$name" stream)")
  echo "compare: stream   $name: ${STREAM[$name]}"
done
RSS_PEAK=$(rss_kb "$SLUICE_PID" VmHWM)
sleep 5
RSS_AFTER=$(rss_kb "$SLUICE_PID" VmRSS)
NGINX_RSS=""
if [ -n "$NGINX_URL" ]; then
  NGINX_RSS=0
  for pid in $(pgrep -P "$NGINX_PID" || true) "$NGINX_PID"; do NGINX_RSS=$((NGINX_RSS + $(rss_kb "$pid" VmHWM))); done
fi

echo "compare: batch of $BATCH_LINES lines after a warm-up batch of $BATCH_WARMUP_LINES (BatchThroughput, -Xmx256m, H2, upstream $MOCK/v1)"
BATCH_OUT=$(timeout 900 "$JAVA" "${QUIET_JAVA[@]}" -Xmx256m -cp "$BENCH_JAR" dev.sluice.benchmarks.BatchThroughput "$BATCH_LINES" - "$MOCK/v1" "$BATCH_WARMUP_LINES" 2>"$WORK/batch.err" || true)
echo "$BATCH_OUT" | sed 's/^/compare: /'
BATCH_RATE=$(sed -n 's/^batch: \([0-9]*\) lines\/s.*/\1/p' <<<"$BATCH_OUT")
BATCH_HEAP=$(sed -n 's/^batch: peak heap in use \([0-9]*\) MB.*/\1/p' <<<"$BATCH_OUT")
BATCH_DONE=$(sed -n 's/.*status \([a-z_]*\), completed \([0-9]*\), failed \([0-9]*\).*/\1: \2 completed, \3 failed/p' <<<"$BATCH_OUT")

# ------------------------------------------------------------------------------------------------ table
fmt() { awk -v v="$1" 'BEGIN { if (v == "" || v == "nan" || v == "NaN") print "n/a"; else printf "%.2f", v }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN") print "n/a"; else printf "%+.2f", a - b }'; }
verdict() { awk "BEGIN { if ($1) print \"met\"; else print \"missed\" }"; }

D_P50=$(median "${LAT[direct]}" p50_ms); D_P99=$(median "${LAT[direct]}" p99_ms)
S_P50=$(median "${LAT[sluice]}" p50_ms); S_P99=$(median "${LAT[sluice]}" p99_ms)
F_P50=$(median "${LAT[floor]}" p50_ms); F_P99=$(median "${LAT[floor]}" p99_ms)
read -r F_RATE F_RATE_C F_RATE_P99 F_CPU <<<"$(best_rate <<<"${RATE[floor]}")"
read -r S_RATE S_RATE_C S_RATE_P99 S_CPU <<<"$(best_rate <<<"${RATE[sluice]}")"
read -r D_RATE D_RATE_C D_RATE_P99 D_CPU <<<"$(best_rate <<<"${RATE[direct]}")"
D_TTFT=$(field "${STREAM[direct]}" ttft_p50_ms); D_GAP=$(field "${STREAM[direct]}" gap_mean_ms)
S_TTFT=$(field "${STREAM[sluice]}" ttft_p50_ms); S_GAP=$(field "${STREAM[sluice]}" gap_mean_ms)
if [ -n "$NGINX_URL" ]; then
  N_P50=$(median "${LAT[nginx]}" p50_ms); N_P99=$(median "${LAT[nginx]}" p99_ms)
  read -r N_RATE N_RATE_C N_RATE_P99 N_CPU <<<"$(best_rate <<<"${RATE[nginx]}")"
  N_TTFT=$(field "${STREAM[nginx]}" ttft_p50_ms); N_GAP=$(field "${STREAM[nginx]}" gap_mean_ms)
  P99_TARGET=$(verdict "($S_P99 - $D_P99) <= 2 * ($N_P99 - $D_P99) || ($S_P99 - $D_P99) <= 0")
  RATE_TARGET=$(verdict "$S_RATE >= 0.8 * $N_RATE")
  nginx_col() { echo "$1"; }
else
  P99_TARGET="n/a (no nginx)"; RATE_TARGET="n/a (no nginx)"
  nginx_col() { echo "skipped"; }
fi
RSS_TARGET=$(verdict "$RSS_PEAK < 512 * 1024")
if [ -n "$BATCH_RATE" ] && [ -n "$BATCH_HEAP" ]; then
  BATCH_TARGET=$(verdict "$BATCH_RATE > 5000 && $BATCH_HEAP < 256")
else
  BATCH_TARGET="missed (no result)"
fi

echo
echo "Load: $([ "$LOAD_TOOL" = wrk ] && echo "wrk (unary; closed loop, C connections)" || echo "LoadDriver (unary; closed loop, C connections)"), LoadDriver (streams, one at a time); mode $MODE."
echo
echo "| Measure | Direct to mock | nginx | Reactor Netty floor | Sluice | Target (Sluice) |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| Latency p50 at concurrency 1, zero-delay upstream, median of $LAT_ROUNDS rounds (ms; others: added) | $(fmt "$D_P50") | $(nginx_col "$(added "${N_P50:-}" "$D_P50")") | $(added "$F_P50" "$D_P50") | $(added "$S_P50" "$D_P50") | |"
echo "| Latency p99 at concurrency 1, zero-delay upstream, median of $LAT_ROUNDS rounds (ms; others: added) | $(fmt "$D_P99") | $(nginx_col "$(added "${N_P99:-}" "$D_P99")") | $(added "$F_P99" "$D_P99") | $(added "$S_P99" "$D_P99") | added p99 ≤ 2× nginx's: $P99_TARGET |"
echo "| Highest sustained rate, 20 ms upstream, p99 < 1 s, < 0.1% errors (req/s, at concurrency) | $D_RATE (c=$D_RATE_C) | $(nginx_col "${N_RATE:-} (c=${N_RATE_C:-})") | $F_RATE (c=$F_RATE_C) | $S_RATE (c=$S_RATE_C) | ≥ 80% of nginx's: $RATE_TARGET |"
echo "| CPU time per request at that rate (µs; the target's own processes: the mock, nginx's workers, the floor's or Sluice's JVM) | ${D_CPU:-n/a} | $(nginx_col "${N_CPU:-n/a}") | ${F_CPU:-n/a} | ${S_CPU:-n/a} | |"
echo "| Stream: time to first token p50 (ms; others: added) | $(fmt "$D_TTFT") | $(nginx_col "$(added "${N_TTFT:-}" "$D_TTFT")") | | $(added "$S_TTFT" "$D_TTFT") | |"
echo "| Stream: mean gap between tokens, 10 ms upstream gap (ms; others: added) | $(fmt "$D_GAP") | $(nginx_col "$(added "${N_GAP:-}" "$D_GAP")") | | $(added "$S_GAP" "$D_GAP") | |"
echo "| Resident memory: idle / peak under load / 5 s after (MB) | | $(nginx_col "peak $(( ${NGINX_RSS:-0} / 1024 )) (all workers)") | | $((RSS_IDLE / 1024)) / $((RSS_PEAK / 1024)) / $((RSS_AFTER / 1024)) | peak < 512 MB: $RSS_TARGET |"
echo "| Batch of $BATCH_LINES lines, zero-delay upstream: lines/s, peak heap (MB) | | | | ${BATCH_RATE:-n/a} lines/s, ${BATCH_HEAP:-n/a} MB ($BATCH_DONE) | > 5,000 lines/s, heap < 256 MB: $BATCH_TARGET |"
echo
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.0f%%", 100 * a / b }'; }
echo "Sluice's sustained rate: $(pct "$S_RATE" "${N_RATE:-}") of nginx's, $(pct "$S_RATE" "$F_RATE") of the Reactor Netty floor's."
echo

# Many streams open at once, with processes of their own.
if [ "$MODE" = smoke ]; then benchmarks/open-streams.sh --smoke; else benchmarks/open-streams.sh; fi

# A smoke run proves that every step produced a figure; it asserts no target.
if [ "$MODE" = smoke ]; then
  for value in "$D_P99" "$F_P99" "$S_P99" "$S_TTFT" "$BATCH_RATE"; do
    case "$value" in ""|nan|NaN) echo "compare: smoke run FAILED: a measurement produced no figure" >&2; exit 1 ;; esac
  done
  [ "$S_RATE" != 0 ] || { echo "compare: smoke run FAILED: no rate step passed through Sluice" >&2; exit 1; }
  echo "compare: smoke run OK"
fi
