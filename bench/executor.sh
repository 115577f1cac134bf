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

BENCH_NAME=executor-bench
BENCH_PIDS=(GW_PID:gateway SUP_PID:supervisord)
SWEEP_WORK=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BOTS=${BENCH_BOTS:-100}
CONCURRENCY=${BENCH_START_CONCURRENCY:-8}
CPU_S=${BENCH_CPU_S:-30}
SETTLE_S=${BENCH_SETTLE_S:-10}
RESTARTS=${BENCH_RESTARTS:-100}
RESTART_TIMEOUT_S=${BENCH_RESTART_TIMEOUT_S:-110}
LAST_RUN=bench/target/last-executor-run

# ---- prerequisites ----------------------------------------------------------------------------

build_jars

ensure_package supervisor supervisord command -v supervisord >/dev/null
SUPERVISORD_VERSION=$(supervisord --version 2>&1 | head -n 1)

# The executor resolves `sh` through /usr/local/bin, /usr/bin, /bin; the references use the same file.
SH=
for dir in /usr/local/bin /usr/bin /bin; do
  if [[ -x $dir/sh ]]; then SH=$dir/sh; break; fi
done

# ---- clean-up ---------------------------------------------------------------------------------

init_work codex32-executor-bench

lines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }

quiet_wait

mkdir -p "$WORK/ts" "$WORK/pbloop" "$WORK/supervisord/x"
BOT_SCRIPT_TAIL='; exit 1'
bot_script() { echo "date +%s%N >> $WORK/ts/$1.ts$BOT_SCRIPT_TAIL"; }

# ---- 1. gateway: start 100, CPU idle/sampling, crash loop -------------------------------------

start_gateway CODEX32_EXECUTOR_ALLOWED_COMMANDS=sleep,sh
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT"

java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.ExecutorBench gateway \
  --port="$GW_PORT" --password="$PASSWORD" --pid="$GW_PID" --clk-tck="$CLK_TCK" \
  --bots="$BOTS" --concurrency="$CONCURRENCY" --cpu-s="$CPU_S" --settle-s="$SETTLE_S" \
  --restarts="$RESTARTS" --restart-timeout-s="$RESTART_TIMEOUT_S" \
  --ts="$WORK/ts/gateway.ts" --bot-script="$(bot_script gateway)" --out="$WORK/gateway.json"

GW_RSS=$(vm_status "$GW_PID" VmRSS)
stop_var GW_PID gateway
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
stop_var SUP_PID supervisord
kill_leftovers "after supervisord stopped"

# ---- report -----------------------------------------------------------------------------------

keep_gateway_log
cp "$WORK/supervisord/supervisord.log" "$WORK/supervisord/supervisord.conf" "$WORK"/*.json "$LAST_RUN/" 2>/dev/null || true
cp -r "$WORK/ts" "$LAST_RUN/"

{
  echo "## Executor results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); $SUPERVISORD_VERSION is \`supervisord --version\`;" \
    "JVM flags: \`$JVM_FLAGS\`"
  echo
  busy_line
  echo
  java "${JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.ExecutorBench report \
    --gateway-json="$WORK/gateway.json" --pbloop-json="$WORK/pbloop.json" \
    --ts-gateway="$WORK/ts/gateway.ts" --ts-pbloop="$WORK/ts/pbloop.ts" --ts-supervisord="$WORK/ts/supervisord.ts" \
    --supervisord-version="$SUPERVISORD_VERSION" --clk-tck="$CLK_TCK"
  echo
  echo "Gateway RSS at the end: $GW_RSS MiB. Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings" \
    "(kept in $LAST_RUN/ with the timestamp files); processes left over and killed: $LEFTOVERS."
} | tee "$LAST_RUN/report.md"
