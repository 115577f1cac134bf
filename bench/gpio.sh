#!/usr/bin/env bash
# GPIO benchmark: a REST write until the pin changed, and an input edge until the WebSocket frame,
# each against a direct Pi4J call measured in the same run. Prints a Markdown report on stdout;
# progress goes to stderr. See docs/benchmarks.md, "GPIO". Loopback only; bounded in count and time;
# everything this script starts is stopped when it exits.
#
# There is no GPIO hardware here: the node runs on Pi4J's mock platform, so this measures the
# software path (REST, the event bus, the GPIO verticle, Pi4J, the WebSocket fan-out), not pin
# electrics. One JVM (GpioBench) holds a real gateway, beside it the GPIO verticle of node bench-pi
# on a Pi4J mock context the harness owns (1 output, BENCH_GPIO_INPUTS inputs), and the clients:
#   1. REST write: POST /api/v1/nodes/bench-pi/gpio/out {"action":"write"} on one keep-alive
#      connection, until a listener on the mock output fires, and until the response; reference,
#      interleaved: output.high()/low() called directly, until the same listener fires.
#   2. Input edge: MockDigitalInput.mockState on the inputs in turn, until the gpio frame reaches a
#      /ws/events client subscribed to gpio/bench-pi; reference: a Pi4J listener on the same input,
#      added before the node's own, so it is called first.
#
# Usage: bench/gpio.sh                 (about 60 s with the defaults)
# Environment (all optional):
#   BENCH_GPIO_OPS               measured operations per path                 (default 2000)
#   BENCH_GPIO_WARMUP_OPS        warm-up operations per path                  (default 500)
#   BENCH_GPIO_INPUTS            input pins the edges go round                (default 16)
#   BENCH_GPIO_EDGE_INTERVAL_MS  at most one edge per this many ms; times the inputs, it must stay
#                                above 100 ms, the inputs' rate limit of 10/s (default 8)
#   BENCH_GPIO_DEBOUNCE_MS       debounce_ms of the inputs                    (default 0)
#   BENCH_GPIO_MAX_S             bound on both measured loops together        (default 300)
#   BENCH_JVM_FLAGS              JVM flags of the harness (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S           wait up to this long for the machine to be idle first (default 0)
set -euo pipefail

BENCH_NAME=gpio-bench
BENCH_PIDS=(HARNESS_PID:harness)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OPS=${BENCH_GPIO_OPS:-2000}
WARMUP_OPS=${BENCH_GPIO_WARMUP_OPS:-500}
INPUTS=${BENCH_GPIO_INPUTS:-16}
EDGE_INTERVAL_MS=${BENCH_GPIO_EDGE_INTERVAL_MS:-8}
DEBOUNCE_MS=${BENCH_GPIO_DEBOUNCE_MS:-0}
MAX_S=${BENCH_GPIO_MAX_S:-300}
LAST_RUN=bench/target/last-gpio-run

if (( INPUTS * EDGE_INTERVAL_MS <= 100 )); then
  log "each input would change every $((INPUTS * EDGE_INTERVAL_MS)) ms, within its rate limit of 10/s: raise BENCH_GPIO_INPUTS or BENCH_GPIO_EDGE_INTERVAL_MS"
  exit 2
fi

build_jars
init_work codex32-gpio-bench
quiet_wait

# the harness's JVM logs the gateway's JSON lines on stdout, its progress on stderr; the report goes to a file
log "running the harness (logs in $WORK/harness.log)"
java "${JVM[@]}" -Dlogback.configurationFile=conf/logback.xml -cp "$GATEWAY_JAR:$BENCH_JAR" io.codex32.bench.GpioBench \
  --data-dir="$WORK/gateway" --out="$WORK/report.md" --ops="$OPS" --warmup-ops="$WARMUP_OPS" --inputs="$INPUTS" \
  --edge-interval-ms="$EDGE_INTERVAL_MS" --debounce-ms="$DEBOUNCE_MS" --max-s="$MAX_S" >"$WORK/harness.log" &
HARNESS_PID=$!
rc=0
wait "$HARNESS_PID" || rc=$?
HARNESS_PID=
if (( rc != 0 )); then
  log "the harness failed (exit $rc); the end of its log:"
  tail -n 30 "$WORK/harness.log" >&2
  exit 1
fi

keep_logs harness
BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/harness.log" || true)
WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/harness.log" || true)
ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/harness.log" || true)

{
  echo "## GPIO results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`. Pi4J's mock platform: no GPIO hardware."
  echo
  busy_line
  echo
  cat "$WORK/report.md"
  echo
  echo "Harness log (gateway and node): $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings (kept in $LAST_RUN/)."
} | tee "$LAST_RUN/report.md"
