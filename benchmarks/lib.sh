# Shared by compare.sh and open-streams.sh (sourced, from the repository root): finds a JDK 21+, builds the jars when
# missing, finds nginx and a load tool, makes a work directory that is removed on exit with every process in PIDS,
# and offers small helpers to wait for a URL in a log, pick a free port and read a process's memory and CPU time.
# SCRIPT names the caller in messages.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
find_java() {
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    major=$(java_major "$home/bin/java")
    [ "${major:-0}" -ge 21 ] && { echo "$home"; return 0; }
  done
  echo "$SCRIPT: no JDK 21 or newer found; set JAVA_HOME" >&2
  return 1
}
JAVA_HOME=$(find_java); export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
QUIET_JAVA=(--enable-native-access=ALL-UNNAMED)

if [ ! -f gateway-server/target/sluice.jar ] || [ ! -f benchmarks/target/benchmarks.jar ]; then
  echo "$SCRIPT: building the jars (./mvnw -q -B package -DskipTests -pl benchmarks -am)"
  ./mvnw -q -B package -DskipTests -pl benchmarks -am
fi
BENCH_JAR=benchmarks/target/benchmarks.jar
SLUICE_JAR=gateway-server/target/sluice.jar

if [ -z "${LOAD_TOOL:-}" ]; then
  if command -v wrk >/dev/null 2>&1; then LOAD_TOOL=wrk; else LOAD_TOOL=java; fi
fi
NGINX=$(command -v nginx || true)
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-$SCRIPT.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits (at most 60 s) for a line matching $2 in log $1 and prints the URL on it.
wait_for_url() {
  for _ in $(seq 1 600); do
    url=$(grep -o "$2 http://[0-9.:]*" "$1" 2>/dev/null | head -n 1 | awk '{print $NF}')
    [ -n "$url" ] && { echo "$url"; return 0; }
    sleep 0.1
  done
  echo "$SCRIPT: gave up waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

free_port() {
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

rss_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time (user + system, in clock ticks) the processes in $CPU_PIDS have used so far.
CPU_PIDS=""
cpu_ticks() {
  local sum=0 pid
  for pid in $CPU_PIDS; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$sum"
}


# Starts nginx as a reverse proxy to the mock at $MOCK, keep-alive to it and buffering off (as SSE wants), with
# access logs off: sets NGINX_PID and NGINX_URL. $1: what follows "listen 127.0.0.1:PORT" (e.g. " http2"), $2: the
# connections each worker may hold, $3: more directives for the http block.
start_nginx() {
  local listen_options=$1 worker_connections=$2 extra=${3:-} port user_line=""
  port=$(free_port)
  mkdir -p "$WORK/nginx/tmp"
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
worker_rlimit_nofile $(ulimit -n);
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections $worker_connections; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  $extra
  upstream mock { server ${MOCK#http://}; keepalive 2048; }
  server {
    listen 127.0.0.1:$port$listen_options;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=($NGINX_PID)
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  NGINX_URL="http://127.0.0.1:$port"
}
