#!/usr/bin/env bash
# Live-state read benchmark: two gateways measured in one run, one with live state in memory (the
# default), one with live state in Redis (CODEX32_REDIS_URL), each running the same sleeper bots.
# Reads GET /api/v1/bots/{id} and GET /api/v1/bots/{id}/metrics?limit=60 on both, alternating.
# Prints a Markdown report on stdout; progress goes to stderr. See docs/benchmarks.md, "Live state
# in Redis". Loopback only; every phase is bounded in time; everything this script starts is
# stopped when it exits.
#
# Usage: bench/redis.sh                (about 3 minutes with the defaults)
# Environment (all optional):
#   BENCH_BOTS          sleeper bots per gateway                                 (default 20)
#   BENCH_CONNECTIONS   comma-separated connection counts                        (default 16,64)
#   BENCH_WARMUP_S      warm-up seconds per row                                  (default 5)
#   BENCH_DURATION_S    measured seconds per row                                 (default 10)
#   BENCH_JVM_FLAGS     JVM flags of the gateways and the load generator (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S  wait up to this long for the machine to be idle first    (default 0)
# Uses `redis-server` from PATH, else the Redis 6.2 binary inside the embedded-redis jar that the
# test build downloads into ~/.m2 (run the verticles tests once, or install Debian's redis-server).
set -euo pipefail

BENCH_NAME=live-bench
BENCH_PIDS=(MEM_PID:memory-gateway REDIS_GW_PID:redis-gateway REDIS_PID:redis-server)
SWEEP_WORK=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BOTS=${BENCH_BOTS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-16,64}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-10}
LAST_RUN=bench/target/last-live-run
EMBEDDED_REDIS_JAR=${HOME}/.m2/repository/com/github/codemonstur/embedded-redis/1.4.4/embedded-redis-1.4.4.jar

build_jars
init_work codex32-live-bench

# ---- Redis ------------------------------------------------------------------------------------

REDIS_BIN=$(command -v redis-server || true)
if [[ -z $REDIS_BIN ]]; then
  case $(uname -m) in
    x86_64) entry=redis-server-6.2.6-v5-linux-amd64 ;;
    aarch64) entry=redis-server-6.2.7-linux-arm64 ;;
    *) log "no redis-server on PATH and no embedded binary for $(uname -m)"; exit 2 ;;
  esac
  if [[ ! -f $EMBEDDED_REDIS_JAR ]]; then
    log "no redis-server on PATH and no $EMBEDDED_REDIS_JAR; run the verticles tests once or install redis-server"
    exit 2
  fi
  unzip -p "$EMBEDDED_REDIS_JAR" "$entry" >"$WORK/redis-server"
  chmod 755 "$WORK/redis-server"
  REDIS_BIN=$WORK/redis-server
fi
REDIS_VERSION=$("$REDIS_BIN" --version | sed 's/ sha=.*//')
REDIS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/redis"
log "starting $REDIS_VERSION on 127.0.0.1:$REDIS_PORT (no persistence)"
(cd "$WORK/redis" && exec "$REDIS_BIN" --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no) >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!

quiet_wait

# ---- gateways ---------------------------------------------------------------------------------

PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
start_named() { # name extra-env...: a gateway on $WORK/<name>, log in $WORK/<name>.log; sets STARTED_PID
  local name=$1
  shift
  env CODEX32_DATA_DIR="$WORK/$name" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 CODEX32_MQTT_PORT=0 \
    CODEX32_MQTT_HOST=127.0.0.1 CODEX32_ADMIN_PASSWORD="$PASSWORD" CODEX32_EXECUTOR_ALLOWED_COMMANDS=sleep "$@" \
    java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
}
log "starting the gateways (data in $WORK/memory and $WORK/redis-gw)"
start_named memory
MEM_PID=$STARTED_PID
start_named redis-gw CODEX32_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
REDIS_GW_PID=$STARTED_PID
MEM_PORT=$(wait_ready "$WORK/memory" "$MEM_PID" memory)
REDIS_GW_PORT=$(wait_ready "$WORK/redis-gw" "$REDIS_GW_PID" redis-gw)
log "memory gateway pid $MEM_PID on :$MEM_PORT, redis gateway pid $REDIS_GW_PID on :$REDIS_GW_PORT"

set +e
java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.LiveStateBench \
  --memory-port="$MEM_PORT" --redis-port="$REDIS_GW_PORT" --password="$PASSWORD" \
  --memory-pid="$MEM_PID" --redis-pid="$REDIS_GW_PID" --redis-server-pid="$REDIS_PID" \
  --bots="$BOTS" --connections="$CONNECTIONS" --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" \
  --out="$WORK/results.md" >/dev/null
LOAD_EXIT=$?
set -e

MEM_RSS=$(vm_status "$MEM_PID" VmRSS)
REDIS_GW_RSS=$(vm_status "$REDIS_GW_PID" VmRSS)
REDIS_RSS=$(vm_status "$REDIS_PID" VmRSS 2>/dev/null || echo "?")
stop_var MEM_PID memory-gateway
stop_var REDIS_GW_PID redis-gateway
stop_var REDIS_PID redis-server

# ---- report -----------------------------------------------------------------------------------

keep_logs memory redis-gw
cp "$WORK/redis.log" "$LAST_RUN/" 2>/dev/null || true
count() { cat "$LAST_RUN"/memory.log "$LAST_RUN"/redis-gw.log | grep -c "$1" || true; }

{
  echo "## Live state results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r); $(java -version 2>&1 | head -n 1); $REDIS_VERSION;" \
    "JVM flags: \`$JVM_FLAGS\`; $BOTS sleeper bots per gateway, sampled every second"
  echo
  busy_line
  echo
  if [[ -f $WORK/results.md ]]; then cat "$WORK/results.md"; else echo "(no results: the load generator failed, exit $LOAD_EXIT)"; fi
  echo
  echo "RSS at the end: memory gateway $MEM_RSS MiB, Redis gateway $REDIS_GW_RSS MiB, redis-server $REDIS_RSS MiB." \
    "Gateway logs: $(count '"level":"WARN"') WARN, $(count '"level":"ERROR"') ERROR," \
    "$(count 'has been blocked for') blocked-thread warnings (kept in $LAST_RUN/)."
} | tee "$LAST_RUN/report.md"
exit "$LOAD_EXIT"
