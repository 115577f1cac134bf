#!/usr/bin/env bash
# WebSocket fan-out benchmark: latency from an event published on the gateway's event bus to 100
# WebSocket subscribers of /ws/events, against a bare Vert.x WebSocket broadcaster measured in the
# same run with the same client code and the same message rate. Prints a Markdown report on
# stdout; progress goes to stderr. See docs/benchmarks.md, "WebSocket fan-out". Loopback only;
# every phase is bounded in time; everything this script starts is stopped when it exits.
#
#   1. gateway (CODEX32_EXECUTOR_ALLOWED_COMMANDS=sh): a bot `sh -c 'exit 1'` with restart policy
#      always, backoff 10 ms, restarts forever: every start/exit publishes status events on
#      codex32.bots.events, each with `time` = when the executor published it. N clients subscribe
#      to `bots`; latency = receive time - data.time.
#   2. reference (WsBench ref-server): one broadcaster verticle per core behind one port, fed by a
#      source verticle over the local event bus at the events/s the gateway phase measured;
#      latency = receive time - time in the message.
#
# Usage: bench/ws.sh                   (about 75 s with the defaults)
# Environment (all optional):
#   BENCH_WS_SUBSCRIBERS  WebSocket clients per target                  (default 100)
#   BENCH_WARMUP_S        warm-up seconds per target                     (default 5)
#   BENCH_DURATION_S      measured seconds per target                    (default 20)
#   BENCH_WS_REF_RATE     reference events/s; default: the gateway's measured rate
#   BENCH_JVM_FLAGS       JVM flags of the gateway, the reference and the load generator
#                         (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S    wait up to this long for the machine to be idle first (default 0)
set -euo pipefail

BENCH_NAME=ws-bench
BENCH_PIDS=(LOAD_PID:load-generator GW_PID:gateway REF_PID:reference)
SWEEP_WORK=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUBSCRIBERS=${BENCH_WS_SUBSCRIBERS:-100}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-20}
REF_RATE=${BENCH_WS_REF_RATE:-}
LAST_RUN=bench/target/last-ws-run

build_jars
init_work codex32-ws-bench

cpu_ticks() { # pid -> utime+stime in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

quiet_wait

# runs the load generator in the background (so the trap can stop it) and waits for it
load() {
  java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.WsBench "$@" &
  LOAD_PID=$!
  local rc=0
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=
  return $rc
}

# ---- 1. gateway -------------------------------------------------------------------------------

# 100 subscribers log in as one user: lift the per-user connection limit (default 20) for this run.
start_gateway CODEX32_EXECUTOR_ALLOWED_COMMANDS=sh CODEX32_WS_MAX_CONNECTIONS_PER_USER=$((SUBSCRIBERS + 10))
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT"

GW_CPU0=$(cpu_ticks "$GW_PID")
GW_T0=$SECONDS
load gateway --port="$GW_PORT" --password="$PASSWORD" --subscribers="$SUBSCRIBERS" \
  --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" --out="$WORK/gateway.json"
GW_CPU=$(awk -v a="$GW_CPU0" -v b="$(cpu_ticks "$GW_PID")" -v s=$((SECONDS - GW_T0)) -v t="$CLK_TCK" \
  'BEGIN { printf "%.2f", (b - a) / t / (s > 0 ? s : 1) }')
GW_RSS=$(vm_status "$GW_PID" VmRSS)
stop_var GW_PID gateway
kill_leftovers "after the gateway stopped" # the tool stopped the bot through the API: expect none

# ---- 2. reference -----------------------------------------------------------------------------

if [[ -z $REF_RATE ]]; then
  REF_RATE=$(sed -n 's/^ *"events_per_s" *: *\([0-9.eE+-]*\).*/\1/p' "$WORK/gateway.json" | head -n 1)
fi
log "starting the reference broadcaster at $REF_RATE events/s"
java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.WsBench ref-server --dir="$WORK/ref" --rate="$REF_RATE" \
  >"$WORK/reference.log" 2>&1 &
REF_PID=$!
REF_PORT=$(wait_ready "$WORK/ref" "$REF_PID" reference)
REF_CPU0=$(cpu_ticks "$REF_PID")
REF_T0=$SECONDS
load ref --port="$REF_PORT" --subscribers="$SUBSCRIBERS" --rate="$REF_RATE" \
  --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" --out="$WORK/ref.json"
REF_CPU=$(awk -v a="$REF_CPU0" -v b="$(cpu_ticks "$REF_PID")" -v s=$((SECONDS - REF_T0)) -v t="$CLK_TCK" \
  'BEGIN { printf "%.2f", (b - a) / t / (s > 0 ? s : 1) }')
stop_var REF_PID reference

# ---- report -----------------------------------------------------------------------------------

keep_gateway_log
cp "$WORK/reference.log" "$WORK"/*.json "$LAST_RUN/" 2>/dev/null || true
REF_BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/reference.log" || true)

{
  echo "## WebSocket fan-out results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`"
  echo
  busy_line
  echo
  java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.WsBench report \
    --gateway-json="$WORK/gateway.json" --ref-json="$WORK/ref.json" --warmup-s="$WARMUP_S"
  echo
  echo "Server CPU over its phase (set-up, warm-up, window; cores): gateway $GW_CPU (including the crash-looping bot's supervision)," \
    "reference $REF_CPU. Gateway RSS at the end: $GW_RSS MiB."
  echo "Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings; reference log: $REF_BLOCKED blocked-thread warnings" \
    "(kept in $LAST_RUN/ with the JSON results); processes left over and killed: $LEFTOVERS."
} | tee "$LAST_RUN/report.md"
