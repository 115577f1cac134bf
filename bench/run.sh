#!/usr/bin/env bash
# Benchmark of the gateway's REST API on the embedded file store against a reference server
# measured in the same run. Prints a Markdown report on stdout; progress goes to stderr.
# See docs/benchmarks.md. Sends traffic to 127.0.0.1 only; every phase is bounded in time and
# request count, and everything this script starts is stopped when it exits.
#
# Usage: bench/run.sh
# Environment (all optional):
#   BENCH_CONNECTIONS   comma-separated connection counts         (default 16,64)
#   BENCH_WARMUP_S      warm-up seconds per scenario              (default 5)
#   BENCH_DURATION_S    measured seconds per scenario             (default 10)
#   BENCH_MAX_REQUESTS  request cap per scenario                  (default 1000000)
#   BENCH_JVM_FLAGS     JVM flags of the gateway, the reference server and the load generator
#                       (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S  wait up to this many seconds for the rest of the machine to be idle
#                       (< 0.3 cores busy) before starting; the report says how busy it was (default 0)
set -euo pipefail

BENCH_NAME=bench
BENCH_PIDS=(GW_PID:gateway REF_PID:reference)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${BENCH_CONNECTIONS:-16,64}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-10}
MAX_REQUESTS=${BENCH_MAX_REQUESTS:-1000000}
LAST_RUN=bench/target/last-run

build_jars
init_work codex32-bench
quiet_wait

start_gateway
log "starting the reference server"
java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.RefServer "$WORK/ref" >"$WORK/reference.log" 2>&1 &
REF_PID=$!

GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
REF_PORT=$(wait_ready "$WORK/ref" "$REF_PID" reference)
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT, reference pid $REF_PID on 127.0.0.1:$REF_PORT"
GW_RSS_IDLE=$(vm_status "$GW_PID" VmRSS)
REF_RSS_IDLE=$(vm_status "$REF_PID" VmRSS)

set +e
java "${JVM[@]}" -jar "$BENCH_JAR" \
  --gateway-port="$GW_PORT" --ref-port="$REF_PORT" --password="$PASSWORD" \
  --gateway-pid="$GW_PID" --ref-pid="$REF_PID" \
  --connections="$CONNECTIONS" --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" \
  --max-requests="$MAX_REQUESTS" --out="$WORK/results.md" >/dev/null
LOAD_EXIT=$?
set -e

GW_RSS=$(vm_status "$GW_PID" VmRSS)
GW_HWM=$(vm_status "$GW_PID" VmHWM)
REF_RSS=$(vm_status "$REF_PID" VmRSS)
REF_HWM=$(vm_status "$REF_PID" VmHWM)
GW_JOURNAL=$(du -sh "$WORK/gateway/store" 2>/dev/null | cut -f1)
stop_var GW_PID gateway
stop_var REF_PID reference

# The gateway logs one access line per request: keep the other lines, count those.
ACCESS_LINES=$(grep -c '"logger_name":"codex32.access"' "$WORK/gateway.log" || true)
keep_gateway_log
cp "$WORK/reference.log" "$LAST_RUN/reference.log"
REF_BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/reference.log" || true)

{
  echo "## Results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`"
  echo
  busy_line
  echo
  if [[ -f $WORK/results.md ]]; then cat "$WORK/results.md"; else echo "(the load generator wrote no results)"; fi
  echo
  echo "| process | RSS idle (MiB) | RSS after the run (MiB) | peak RSS, VmHWM (MiB) |"
  echo "|---|---:|---:|---:|"
  echo "| gateway | $GW_RSS_IDLE | $GW_RSS | $GW_HWM |"
  echo "| reference | $REF_RSS_IDLE | $REF_RSS | $REF_HWM |"
  echo
  echo "Gateway store after the run: $GW_JOURNAL. Gateway log: $ACCESS_LINES access lines;" \
    "other lines: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings" \
    "(reference: $REF_BLOCKED); kept in $LAST_RUN/."
  if [[ $LOAD_EXIT -ne 0 ]]; then
    echo
    echo "**INVALID RUN**: the load generator exited with $LOAD_EXIT (errors > 0 or a failure; see stderr)."
  fi
}

exit "$LOAD_EXIT"
