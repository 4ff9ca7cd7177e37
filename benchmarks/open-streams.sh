#!/usr/bin/env bash
# Many streams open at once, as an LLM gateway holds them: N callers each stream an answer that drips one event a
# second for about seven seconds, straight to the mock upstream, through nginx, and through Sluice with its defaults
# (HTTP/2 to the provider, as it speaks to OpenAI, Anthropic and Google over TLS). Prints one Markdown table:
# completed streams, time to the first event (p50, p99, worst), the target's peak resident memory and memory per
# stream, and its CPU time.
#
#   benchmarks/open-streams.sh            1,000, 5,000 and 20,000 streams: a few minutes on 2 cores
#   benchmarks/open-streams.sh --smoke    50 streams: proves the script still works (CI)
#
# Callers speak HTTP/2 in clear text (h2c, 100 streams to a connection): every process here may hold at most 20,000
# open files, and HTTP/1.1 callers would need a connection, so a file, each. Loopback only; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
case "${1:-}" in
  "") ;;
  --smoke) MODE=smoke ;;
  *) echo "usage: benchmarks/open-streams.sh [--smoke]" >&2; exit 2 ;;
esac
if [ "$MODE" = smoke ]; then STEPS="50"; else STEPS="${OPEN_STREAMS_STEPS:-1000 5000 20000}"; fi
# The gateway's heap for this run: tens of thousands of streams need more than the 256 MB of compare.sh.
OPEN_JAVA_OPTS=${OPEN_JAVA_OPTS:--Xmx1g}
DRIP="chunks=7/chunk_gap_ms=1000"

SCRIPT=open-streams
# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

"$JAVA" "${QUIET_JAVA[@]}" -Xmx1g -cp "$BENCH_JAR" dev.sluice.benchmarks.upstream.MockUpstream --port 0 --h2c true >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!
PIDS+=($MOCK_PID)
MOCK=$(wait_for_url "$WORK/mock.log" "listening on")

mkdir -p "$WORK/data"
cat >"$WORK/sluice.yaml" <<EOF
server: {host: 127.0.0.1, port: 0, access_log: false, http2: true}
providers:
  drip: {type: openai, base_url: "$MOCK/$DRIP/v1", http_version: h2c}
store: {url: "r2dbc:h2:file:///$WORK/data/sluice"}
EOF
# shellcheck disable=SC2086
(cd "$WORK" && exec "$JAVA" "${QUIET_JAVA[@]}" $OPEN_JAVA_OPTS -jar "$OLDPWD/$SLUICE_JAR" --config "$WORK/sluice.yaml") >"$WORK/sluice.log" 2>&1 &
SLUICE_PID=$!
PIDS+=($SLUICE_PID)
SLUICE=$(wait_for_url "$WORK/sluice.log" "sluice listening on")

NGINX_URL=""
if [ -n "$NGINX" ]; then
  # Callers speak h2c to it, as to the others; it speaks HTTP/1.1 to the mock, all it can upstream.
  start_nginx " http2" 19000 "http2_max_concurrent_streams 128;"
else
  echo "open-streams: nginx is not installed: its column is skipped"
fi
echo "open-streams: mock (h2c) at $MOCK, Sluice at $SLUICE ($OPEN_JAVA_OPTS), nginx at ${NGINX_URL:-none}; streams drip $DRIP"

body() { printf '{"model":"%s","stream":true,"messages":[{"role":"user","content":"Tell me a long story."}]}' "$1"; }
url_of() {
  case "$1" in
    direct) echo "$MOCK/$DRIP/v1/chat/completions" ;;
    nginx) echo "$NGINX_URL/$DRIP/v1/chat/completions" ;;
    sluice) echo "$SLUICE/v1/chat/completions" ;;
  esac
}
model_of() { if [ "$1" = sluice ]; then echo "drip/m"; else echo "m"; fi; }
pids_of() {
  case "$1" in
    direct) echo "$MOCK_PID" ;;
    nginx) pgrep -P "$NGINX_PID" | tr '\n' ' ' ;;
    sluice) echo "$SLUICE_PID" ;;
  esac
}
rss_total() { local sum=0 pid; for pid in $1; do sum=$((sum + $(rss_kb "$pid" VmRSS))); done; echo "$sum"; }

# One step: N streams at a target, its memory sampled every 200 ms while they run.
measure() {
  local name=$1 streams=$2 pids before peak=0 now ticks line
  pids=$(pids_of "$name")
  before=$(rss_total "$pids")
  CPU_PIDS=$pids; ticks=$(cpu_ticks)
  timeout 700 "$JAVA" "${QUIET_JAVA[@]}" -Xmx2g -cp "$BENCH_JAR" dev.sluice.benchmarks.load.LoadDriver open \
    --url "$(url_of "$name")" --body "$(body "$(model_of "$name")")" --streams "$streams" --h2c true >"$WORK/open.out" 2>"$WORK/open.err" &
  local driver=$!
  while kill -0 "$driver" 2>/dev/null; do
    now=$(rss_total "$pids"); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.2
  done
  wait "$driver" || true
  ticks=$(( $(cpu_ticks) - ticks ))
  line=$(cat "$WORK/open.out")
  printf '%s rss_before_kb=%s rss_peak_kb=%s cpu_s=%s\n' "$line" "$before" "$peak" \
    "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')"
}
field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }

NAMES=(direct)
[ -n "$NGINX_URL" ] && NAMES+=(nginx)
NAMES+=(sluice)
# Warm every target (JIT, pools) with a small step whose figures are discarded.
for name in "${NAMES[@]}"; do measure "$name" 50 >/dev/null; done

declare -A RESULT
for streams in $STEPS; do
  for name in "${NAMES[@]}"; do
    RESULT[$name,$streams]=$(measure "$name" "$streams")
    echo "open-streams: $name, $streams streams: ${RESULT[$name,$streams]}"
  done
done

cell() {
  local r=$1 streams=$2
  [ -z "$r" ] && { echo "skipped"; return; }
  local before peak per
  before=$(field "$r" rss_before_kb); peak=$(field "$r" rss_peak_kb)
  per=$(awk -v a="$peak" -v b="$before" -v n="$streams" 'BEGIN { d = a - b; if (d < 0) d = 0; printf "%.1f", d / n }')
  echo "$(field "$r" completed) done; first event p50 $(field "$r" ttfe_p50_ms) / p99 $(field "$r" ttfe_p99_ms) / worst $(field "$r" ttfe_max_ms) ms; RSS $((peak / 1024)) MB (+${per} KB/stream); CPU $(field "$r" cpu_s) s"
}

echo
echo "Open streams: callers over h2c, each stream one event a second for 7 s; mode $MODE."
echo
echo "| Streams at once | Direct to mock | nginx | Sluice |"
echo "| --- | --- | --- | --- |"
for streams in $STEPS; do
  echo "| $streams | $(cell "${RESULT[direct,$streams]}" "$streams") | $(cell "${RESULT[nginx,$streams]:-}" "$streams") | $(cell "${RESULT[sluice,$streams]}" "$streams") |"
done
echo

if [ "$MODE" = smoke ]; then
  for streams in $STEPS; do
    done_count=$(field "${RESULT[sluice,$streams]}" completed)
    [ "${done_count:-0}" = "$streams" ] || { echo "open-streams: smoke run FAILED: $done_count of $streams streams completed through Sluice" >&2; exit 1; }
  done
  echo "open-streams: smoke run OK"
fi
