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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CONNECTIONS=${BENCH_CONNECTIONS:-16,64}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-10}
MAX_REQUESTS=${BENCH_MAX_REQUESTS:-1000000}
JVM_FLAGS=${BENCH_JVM_FLAGS:--Xms256m -Xmx1g}
read -r -a JVM <<<"$JVM_FLAGS"

GATEWAY_JAR=gateway/target/codex32-gateway.jar
BENCH_JAR=bench/target/codex32-bench-all.jar
LAST_RUN=bench/target/last-run

log() { echo "bench: $*" >&2; }

if [[ ! -f $GATEWAY_JAR ]]; then
  log "building the gateway jar"
  mvn -q -DskipTests package >&2
fi
log "building the bench tool"
mvn -q -f bench/pom.xml package >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex32-bench.XXXXXX")
GW_PID=
REF_PID=

stop() { # pid name: SIGTERM, then wait up to 20 s, then SIGKILL
  local pid=$1 name=$2
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) did not stop within 20 s after SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop "$GW_PID" gateway
  stop "$REF_PID" reference
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ports.json {"http": N} appears once the server listens; then /health/ready must answer 200.
wait_ready() { # dir pid name -> prints the port
  local dir=$1 pid=$2 name=$3 port=
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { log "$name exited during start-up; its log:"; tail -n 30 "$WORK/$name.log" >&2; return 1; }
    if [[ -f $dir/ports.json ]]; then
      port=$(sed -n 's/.*"http" *: *\([0-9][0-9]*\).*/\1/p' "$dir/ports.json")
      if [[ -n $port ]] && curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready"; then
        echo "$port"
        return 0
      fi
    fi
    sleep 0.1
  done
  log "$name not ready after 60 s"
  return 1
}

busy_cores() { # CPU cores busy on the whole machine over the next 2 s (from /proc/stat)
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  sleep 2
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b - a) / 200 }'
}

vm_status() { # pid field -> value in MiB
  awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-0}
BUSY_BEFORE=$(busy_cores)
waited=0
while awk -v b="$BUSY_BEFORE" 'BEGIN { exit !(b >= 0.3) }' && (( waited < QUIET_WAIT_S )); do
  log "machine busy ($BUSY_BEFORE cores) before the run; waiting for it to be idle"
  BUSY_BEFORE=$(busy_cores)
  waited=$((waited + 2))
done

PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

log "starting the gateway (data in $WORK/gateway)"
CODEX32_DATA_DIR="$WORK/gateway" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 \
  CODEX32_ADMIN_PASSWORD="$PASSWORD" \
  java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
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
stop "$GW_PID" gateway
GW_PID=
stop "$REF_PID" reference
REF_PID=

# The gateway logs one access line per request: keep the other lines, count those.
ACCESS_LINES=$(grep -c '"logger_name":"codex32.access"' "$WORK/gateway.log" || true)
rm -rf "$LAST_RUN"
mkdir -p "$LAST_RUN"
grep -v '"logger_name":"codex32.access"' "$WORK/gateway.log" >"$LAST_RUN/gateway.log" || true
cp "$WORK/reference.log" "$LAST_RUN/reference.log"
BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/gateway.log" || true)
WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/gateway.log" || true)
ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/gateway.log" || true)
REF_BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/reference.log" || true)

{
  echo "## Results ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`"
  echo
  echo "Machine busy before the run (other processes): $BUSY_BEFORE cores over 2 s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
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
