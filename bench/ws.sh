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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SUBSCRIBERS=${BENCH_WS_SUBSCRIBERS:-100}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-20}
REF_RATE=${BENCH_WS_REF_RATE:-}
JVM_FLAGS=${BENCH_JVM_FLAGS:--Xms256m -Xmx1g}
QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-0}
read -r -a JVM <<<"$JVM_FLAGS"

GATEWAY_JAR=gateway/target/codex32-gateway.jar
BENCH_JAR=bench/target/codex32-bench-all.jar
LAST_RUN=bench/target/last-ws-run

log() { echo "ws-bench: $*" >&2; }

if [[ ! -f $GATEWAY_JAR ]]; then
  log "building the gateway jar (mvn -q -DskipTests package)"
  mvn -q -DskipTests package >&2
fi
log "building the bench tool"
mvn -q -f bench/pom.xml package >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex32-ws-bench.XXXXXX")
GW_PID=
REF_PID=
LOAD_PID=

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

# The bot runs with its working directory under $WORK and leads its own session: find leftovers there.
under_work() {
  local p cwd
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    [[ $cwd == "$WORK" || $cwd == "$WORK"/* ]] && echo "${p#/proc/}"
  done
  return 0
}

LEFTOVERS=0
kill_leftovers() { # label
  local pids
  pids=$(under_work | tr '\n' ' ')
  if [[ -n ${pids// /} ]]; then
    LEFTOVERS=$((LEFTOVERS + $(wc -w <<<"$pids")))
    log "$1: processes still running under $WORK: $pids; killing them"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
}

cleanup() {
  stop "$LOAD_PID" load-generator
  stop "$GW_PID" gateway
  stop "$REF_PID" reference
  kill_leftovers "at exit"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

CLK_TCK=$(getconf CLK_TCK)
busy_cores() { # CPU cores busy on the whole machine over the next 2 s (from /proc/stat)
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  sleep 2
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / (2 * t) }'
}

cpu_ticks() { # pid -> utime+stime in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

BUSY_BEFORE=$(busy_cores)
waited=0
while awk -v b="$BUSY_BEFORE" 'BEGIN { exit !(b >= 0.3) }' && (( waited < QUIET_WAIT_S )); do
  log "machine busy ($BUSY_BEFORE cores) before the run; waiting for it to be idle"
  BUSY_BEFORE=$(busy_cores)
  waited=$((waited + 2))
done

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

PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the gateway (data in $WORK/gateway)"
# 100 subscribers log in as one user: lift the per-user connection limit (default 20) for this run.
CODEX32_DATA_DIR="$WORK/gateway" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 \
  CODEX32_ADMIN_PASSWORD="$PASSWORD" CODEX32_EXECUTOR_ALLOWED_COMMANDS=sh \
  CODEX32_WS_MAX_CONNECTIONS_PER_USER=$((SUBSCRIBERS + 10)) \
  java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT"

GW_CPU0=$(cpu_ticks "$GW_PID")
GW_T0=$SECONDS
load gateway --port="$GW_PORT" --password="$PASSWORD" --subscribers="$SUBSCRIBERS" \
  --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" --out="$WORK/gateway.json"
GW_CPU=$(awk -v a="$GW_CPU0" -v b="$(cpu_ticks "$GW_PID")" -v s=$((SECONDS - GW_T0)) -v t="$CLK_TCK" \
  'BEGIN { printf "%.2f", (b - a) / t / (s > 0 ? s : 1) }')
GW_RSS=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$GW_PID/status")
stop "$GW_PID" gateway
GW_PID=
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
stop "$REF_PID" reference
REF_PID=

# ---- report -----------------------------------------------------------------------------------

rm -rf "$LAST_RUN"
mkdir -p "$LAST_RUN"
grep -v '"logger_name":"codex32.access"' "$WORK/gateway.log" >"$LAST_RUN/gateway.log" || true
cp "$WORK/reference.log" "$WORK"/*.json "$LAST_RUN/" 2>/dev/null || true
BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/gateway.log" || true)
WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/gateway.log" || true)
ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/gateway.log" || true)
REF_BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/reference.log" || true)

{
  echo "## WebSocket fan-out results ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`"
  echo
  echo "Machine busy before the run (other processes): $BUSY_BEFORE cores over 2 s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.WsBench report \
    --gateway-json="$WORK/gateway.json" --ref-json="$WORK/ref.json" --warmup-s="$WARMUP_S"
  echo
  echo "Server CPU over its phase (set-up, warm-up, window; cores): gateway $GW_CPU (including the crash-looping bot's supervision)," \
    "reference $REF_CPU. Gateway RSS at the end: $GW_RSS MiB."
  echo "Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings; reference log: $REF_BLOCKED blocked-thread warnings" \
    "(kept in $LAST_RUN/ with the JSON results); processes left over and killed: $LEFTOVERS."
} | tee "$LAST_RUN/report.md"
