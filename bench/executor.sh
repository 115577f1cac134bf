#!/usr/bin/env bash
# Benchmark of the executor (bots as real processes), with two references measured in the same
# run: a bare ProcessBuilder loop and Debian's supervisord. Prints a Markdown report on stdout;
# progress goes to stderr. See docs/benchmarks.md, "Executor". Loopback only; every phase is
# bounded in time; everything this script starts is stopped when it exits.
#
#   1. start 100 sleeper bots through the API: time until the API lists all of them as running;
#   2. the gateway JVM's CPU over 30 s with 0 and with 100 running bots (sampling every 1 s);
#   3. restart latency of a bot that exits at once (backoff 10 ms, the API's minimum), against
#      `new ProcessBuilder(argv).start().waitFor()` in a loop and against supervisord with
#      autorestart=true, startsecs=0. Each start of the bot appends `date +%s%N` to a file.
#
# Usage: bench/executor.sh            (about 3.5-4 minutes, half of it supervisord's ~1 s per restart)
# Environment (all optional):
#   BENCH_BOTS                 sleeper bots to start                         (default 100)
#   BENCH_START_CONCURRENCY    start requests in flight                      (default 8)
#   BENCH_CPU_S                seconds per CPU window                        (default 30)
#   BENCH_SETTLE_S             pause before each CPU window                  (default 10)
#   BENCH_RESTARTS             restarts to collect per supervisor            (default 100)
#   BENCH_RESTART_TIMEOUT_S    time limit per supervisor for those restarts (default 110)
#   BENCH_JVM_FLAGS            JVM flags of the gateway and the tool JVMs    (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S         wait up to this long for the machine to be idle first (default 0)
# Needs supervisord; when it is missing and this runs as root, installs Debian's `supervisor`
# package with apt-get (without starting its service).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BOTS=${BENCH_BOTS:-100}
CONCURRENCY=${BENCH_START_CONCURRENCY:-8}
CPU_S=${BENCH_CPU_S:-30}
SETTLE_S=${BENCH_SETTLE_S:-10}
RESTARTS=${BENCH_RESTARTS:-100}
RESTART_TIMEOUT_S=${BENCH_RESTART_TIMEOUT_S:-110}
JVM_FLAGS=${BENCH_JVM_FLAGS:--Xms256m -Xmx1g}
QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-0}
read -r -a JVM <<<"$JVM_FLAGS"

GATEWAY_JAR=gateway/target/codex32-gateway.jar
BENCH_JAR=bench/target/codex32-bench-all.jar
LAST_RUN=bench/target/last-executor-run

log() { echo "executor-bench: $*" >&2; }

# ---- prerequisites ----------------------------------------------------------------------------

if [[ ! -f $GATEWAY_JAR ]]; then
  log "building the gateway jar (mvn -q -DskipTests package)"
  mvn -q -DskipTests package >&2
fi
log "building the bench tool"
mvn -q -f bench/pom.xml package >&2

if ! command -v supervisord >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    log "supervisord is missing; install Debian's package first: sudo apt-get install -y supervisor"
    exit 2
  fi
  log "supervisord is missing: installing Debian's 'supervisor' package with apt-get (its service is not started)"
  made_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # tells invoke-rc.d / deb-systemd-invoke not to start the service the package installs
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  set +e
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q supervisor >&2
  rc=$?
  set -e
  [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
  if [[ $rc -ne 0 ]] || ! command -v supervisord >/dev/null; then
    log "installing supervisor failed (apt-get exit $rc); try apt-get update first"
    exit 2
  fi
fi
SUPERVISORD_VERSION=$(supervisord --version 2>&1 | head -n 1)

# The executor resolves `sh` through /usr/local/bin, /usr/bin, /bin; the references use the same file.
SH=
for dir in /usr/local/bin /usr/bin /bin; do
  if [[ -x $dir/sh ]]; then SH=$dir/sh; break; fi
done
CLK_TCK=$(getconf CLK_TCK)

# ---- clean-up ---------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex32-executor-bench.XXXXXX")
GW_PID=
SUP_PID=

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

# Every process this benchmark starts besides the JVMs runs with its working directory under
# $WORK (bots in <data>/bots/<id>/, the references' commands in their own directories), and bots
# lead their own sessions, outside this script's process group: find them by working directory.
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
  stop "$GW_PID" gateway
  stop "$SUP_PID" supervisord
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

busy_cores() { # CPU cores busy on the whole machine over the next 2 s (from /proc/stat)
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  sleep 2
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / (2 * t) }'
}

lines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }

BUSY_BEFORE=$(busy_cores)
waited=0
while awk -v b="$BUSY_BEFORE" 'BEGIN { exit !(b >= 0.3) }' && (( waited < QUIET_WAIT_S )); do
  log "machine busy ($BUSY_BEFORE cores) before the run; waiting for it to be idle"
  BUSY_BEFORE=$(busy_cores)
  waited=$((waited + 2))
done

mkdir -p "$WORK/ts" "$WORK/pbloop" "$WORK/supervisord/x"
BOT_SCRIPT_TAIL='; exit 1'
bot_script() { echo "date +%s%N >> $WORK/ts/$1.ts$BOT_SCRIPT_TAIL"; }

# ---- 1. gateway: start 100, CPU idle/sampling, crash loop -------------------------------------

PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the gateway (data in $WORK/gateway)"
CODEX32_DATA_DIR="$WORK/gateway" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 \
  CODEX32_ADMIN_PASSWORD="$PASSWORD" CODEX32_EXECUTOR_ALLOWED_COMMANDS=sleep,sh \
  java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT"

java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.ExecutorBench gateway \
  --port="$GW_PORT" --password="$PASSWORD" --pid="$GW_PID" --clk-tck="$CLK_TCK" \
  --bots="$BOTS" --concurrency="$CONCURRENCY" --cpu-s="$CPU_S" --settle-s="$SETTLE_S" \
  --restarts="$RESTARTS" --restart-timeout-s="$RESTART_TIMEOUT_S" \
  --ts="$WORK/ts/gateway.ts" --bot-script="$(bot_script gateway)" --out="$WORK/gateway.json"

GW_RSS=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$GW_PID/status")
stop "$GW_PID" gateway
GW_PID=
kill_leftovers "after the gateway stopped" # the tool stopped every bot through the API: expect none

# ---- 2. bare ProcessBuilder loop --------------------------------------------------------------

log "bare ProcessBuilder loop: $((RESTARTS + 1)) runs"
timeout "$RESTART_TIMEOUT_S" java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.ExecutorBench pbloop \
  --n=$((RESTARTS + 1)) --dir="$WORK/pbloop" --out="$WORK/pbloop.json" -- "$SH" -c "$(bot_script pbloop)"

# ---- 3. supervisord ---------------------------------------------------------------------------

# '%' must be doubled in supervisord's configuration (Python string interpolation).
cat >"$WORK/supervisord/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
user=root
logfile=$WORK/supervisord/supervisord.log
pidfile=$WORK/supervisord/supervisord.pid
childlogdir=$WORK/supervisord
directory=$WORK/supervisord

[program:x]
command=$SH -c '$(bot_script supervisord | sed 's/%/%%/g')'
directory=$WORK/supervisord/x
autostart=true
autorestart=true
startsecs=0
startretries=1000
stdout_logfile=$WORK/supervisord/x.log
redirect_stderr=true
EOF
[[ $(id -u) -eq 0 ]] || sed -i '/^user=root$/d' "$WORK/supervisord/supervisord.conf"
log "supervisord ($SUPERVISORD_VERSION): waiting for $RESTARTS restarts (at most $RESTART_TIMEOUT_S s)"
(cd "$WORK/supervisord" && exec supervisord -n -c "$WORK/supervisord/supervisord.conf") >"$WORK/supervisord/stdout.log" 2>&1 &
SUP_PID=$!
deadline=$((SECONDS + RESTART_TIMEOUT_S))
while (( $(lines "$WORK/ts/supervisord.ts") <= RESTARTS && SECONDS < deadline )); do
  kill -0 "$SUP_PID" 2>/dev/null || { log "supervisord exited early:"; tail -n 20 "$WORK/supervisord/supervisord.log" >&2; break; }
  sleep 0.05
done
log "supervisord: $(lines "$WORK/ts/supervisord.ts") starts recorded"
stop "$SUP_PID" supervisord
SUP_PID=
kill_leftovers "after supervisord stopped"

# ---- report -----------------------------------------------------------------------------------

rm -rf "$LAST_RUN"
mkdir -p "$LAST_RUN"
grep -v '"logger_name":"codex32.access"' "$WORK/gateway.log" >"$LAST_RUN/gateway.log" || true
cp "$WORK/supervisord/supervisord.log" "$WORK/supervisord/supervisord.conf" "$WORK"/*.json "$LAST_RUN/" 2>/dev/null || true
cp -r "$WORK/ts" "$LAST_RUN/"
BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/gateway.log" || true)
WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/gateway.log" || true)
ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/gateway.log" || true)

{
  echo "## Executor results ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); $SUPERVISORD_VERSION is \`supervisord --version\`;" \
    "JVM flags: \`$JVM_FLAGS\`"
  echo
  echo "Machine busy before the run (other processes): $BUSY_BEFORE cores over 2 s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.ExecutorBench report \
    --gateway-json="$WORK/gateway.json" --pbloop-json="$WORK/pbloop.json" \
    --ts-gateway="$WORK/ts/gateway.ts" --ts-pbloop="$WORK/ts/pbloop.ts" --ts-supervisord="$WORK/ts/supervisord.ts" \
    --supervisord-version="$SUPERVISORD_VERSION" --clk-tck="$CLK_TCK"
  echo
  echo "Gateway RSS at the end: $GW_RSS MiB. Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings" \
    "(kept in $LAST_RUN/ with the timestamp files); processes left over and killed: $LEFTOVERS."
} | tee "$LAST_RUN/report.md"
