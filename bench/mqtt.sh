#!/usr/bin/env bash
# MQTT ingest benchmark: the gateway's MQTT listener against Debian's Mosquitto broker, measured in
# the same run with the same load generator (bench/src/.../MqttBench.java, HiveMQ MQTT client,
# MQTT 3.1.1). Prints a Markdown report on stdout; progress goes to stderr. See docs/benchmarks.md,
# "MQTT". Loopback only; every phase is bounded; everything this script starts is stopped when it exits.
#
#   1. registers devices through the REST API (the gateway authenticates every CONNECT);
#   2. memory per idle connection: server RSS before and with BENCH_MQTT_IDLE connections;
#   3. telemetry msgs/s at QoS 0 and 1 with BENCH_MQTT_DEVICES devices, closed loop.
#
# Usage: bench/mqtt.sh                 (about 4 minutes)
# Environment (all optional):
#   BENCH_MQTT_DEVICES          comma-separated device counts for the rate rows (default 100,1000)
#   BENCH_MQTT_IDLE             idle connections for the memory phase           (default 10000)
#   BENCH_MQTT_REGISTER_S       time budget for registering the idle devices    (default 90)
#   BENCH_WARMUP_S              warm-up seconds per rate row                     (default 3)
#   BENCH_DURATION_S            measured seconds per rate row                    (default 10)
#   BENCH_JVM_FLAGS             JVM flags of the gateway                         (default -Xms256m -Xmx1g)
#   BENCH_TOOL_JVM_FLAGS        JVM flags of the load generator                  (default -Xms256m -Xmx2g)
#   BENCH_QUIET_WAIT_S          wait up to this long for the machine to be idle first (default 0)
# Needs mosquitto; when it is missing and this runs as root, installs Debian's `mosquitto` package
# with apt-get (without starting its service). The broker runs in the foreground from a temporary
# configuration, never as the system service.
set -euo pipefail

BENCH_NAME=mqtt-bench
BENCH_PIDS=(GW_PID:gateway MOSQ_PID:mosquitto)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEVICES=${BENCH_MQTT_DEVICES:-100,1000}
IDLE=${BENCH_MQTT_IDLE:-10000}
REGISTER_S=${BENCH_MQTT_REGISTER_S:-90}
WARMUP_S=${BENCH_WARMUP_S:-3}
DURATION_S=${BENCH_DURATION_S:-10}
TOOL_JVM_FLAGS=${BENCH_TOOL_JVM_FLAGS:--Xms256m -Xmx2g}
read -r -a TOOL_JVM <<<"$TOOL_JVM_FLAGS"
LAST_RUN=bench/target/last-mqtt-run

# ---- prerequisites ----------------------------------------------------------------------------

build_jars

mosquitto_path() { # the broker's path: not on a non-root PATH in Debian (/usr/sbin)
  command -v mosquitto || { [[ -x /usr/sbin/mosquitto ]] && echo /usr/sbin/mosquitto; } || true
}
MOSQUITTO=$(ensure_package mosquitto mosquitto mosquitto_path)
MOSQUITTO_VERSION=$(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null || "$MOSQUITTO" -h 2>&1 | head -n 1)

# Every server and the load generator hold one descriptor per connection: raise the soft limit
# (to the hard limit if that is lower). Inherited by everything started below.
WANT_FDS=$((IDLE + 4096))
if ! ulimit -n "$WANT_FDS" 2>/dev/null; then
  ulimit -n "$(ulimit -Hn)"
fi
FDS=$(ulimit -n)
if (( FDS < IDLE + 1024 )); then
  log "open-file limit $FDS is too low for $IDLE idle connections; using $((FDS - 1024))"
  IDLE=$((FDS - 1024))
fi

# ---- clean-up ---------------------------------------------------------------------------------

init_work codex32-mqtt-bench

free_port() { # a TCP port nothing listens on, from the range below the ephemeral ports
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    if ! ss -Htln "sport = :$port" | grep -q .; then echo "$port"; return 0; fi
  done
  return 1
}

quiet_wait

# ---- servers ----------------------------------------------------------------------------------

# The per-IP CONNECT rate limit would refuse a load generator that opens thousands of connections
# from 127.0.0.1: lift it for the run.
start_gateway CODEX32_MQTT_PORT=0 CODEX32_MQTT_HOST=127.0.0.1 \
  CODEX32_MQTT_CONNECT_BURST=100000 CODEX32_MQTT_CONNECT_RATE_PER_S=100000
GW_HTTP=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
GW_MQTT=$(sed -n 's/.*"mqtt" *: *\([0-9][0-9]*\).*/\1/p' "$WORK/gateway/ports.json")
log "gateway pid $GW_PID: HTTP 127.0.0.1:$GW_HTTP, MQTT 127.0.0.1:$GW_MQTT"

MOSQ_PORT=$(free_port)
mkdir -p "$WORK/mosquitto"
cat >"$WORK/mosquitto/mosquitto.conf" <<CONF
listener $MOSQ_PORT 127.0.0.1
allow_anonymous true
persistence false
max_connections -1
log_dest file $WORK/mosquitto/mosquitto.log
log_type error
log_type warning
CONF
# started as root, mosquitto would switch to the user 'mosquitto', which cannot write to $WORK
[[ $(id -u) -eq 0 ]] && echo "user root" >>"$WORK/mosquitto/mosquitto.conf"
log "starting mosquitto $MOSQUITTO_VERSION on 127.0.0.1:$MOSQ_PORT"
"$MOSQUITTO" -c "$WORK/mosquitto/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
MOSQ_PID=$!
for _ in $(seq 1 100); do
  ss -Htln "sport = :$MOSQ_PORT" | grep -q . && break
  kill -0 "$MOSQ_PID" 2>/dev/null || { log "mosquitto exited:"; cat "$WORK/mosquitto.log" >&2; exit 1; }
  sleep 0.1
done

# ---- load -------------------------------------------------------------------------------------

set +e
java "${TOOL_JVM[@]}" -cp "$BENCH_JAR" io.codex32.bench.MqttBench \
  --gateway-http-port="$GW_HTTP" --gateway-mqtt-port="$GW_MQTT" --gateway-pid="$GW_PID" --password="$PASSWORD" \
  --mosquitto-port="$MOSQ_PORT" --mosquitto-pid="$MOSQ_PID" --devices="$DEVICES" --idle="$IDLE" \
  --register-budget-s="$REGISTER_S" --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" --clk-tck="$CLK_TCK" \
  --out="$WORK/results.md" >/dev/null
LOAD_EXIT=$?
set -e

GW_RSS=$(vm_status "$GW_PID" VmRSS)
GW_HWM=$(vm_status "$GW_PID" VmHWM)
MOSQ_RSS=$(vm_status "$MOSQ_PID" VmRSS %.1f)
MOSQ_HWM=$(vm_status "$MOSQ_PID" VmHWM %.1f)
stop_var GW_PID gateway
stop_var MOSQ_PID mosquitto

keep_gateway_log
cp "$WORK/mosquitto/mosquitto.conf" "$WORK/mosquitto/mosquitto.log" "$LAST_RUN/" 2>/dev/null || true

{
  echo "## MQTT results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); mosquitto $MOSQUITTO_VERSION (Debian package);" \
    "gateway JVM flags: \`$JVM_FLAGS\`; open-file limit $FDS"
  echo
  busy_line
  echo
  if [[ -f $WORK/results.md ]]; then cat "$WORK/results.md"; else echo "(the load generator wrote no results)"; fi
  echo
  echo "At the end: gateway RSS $GW_RSS MiB (peak $GW_HWM MiB), mosquitto RSS $MOSQ_RSS MiB (peak $MOSQ_HWM MiB)." \
    "Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings (kept in $LAST_RUN/)."
  if [[ $LOAD_EXIT -ne 0 ]]; then
    echo
    echo "**INVALID RUN**: the load generator exited with $LOAD_EXIT (errors > 0 or a failure; see stderr)."
  fi
} | tee "$LAST_RUN/report.md"

exit "$LOAD_EXIT"
