#!/usr/bin/env bash
# Cluster benchmark: a gateway and edge nodes on the Hazelcast-clustered event bus, all on 127.0.0.1,
# measured from a bench JVM that joins the cluster as a lite member (the bench member,
# bench/src/.../ClusterBench.java). Prints a Markdown report on stdout; progress goes to stderr.
# See docs/benchmarks.md, "Cluster". Loopback only; every phase is bounded in time; everything this
# script starts is stopped when it exits.
#
#   0. starts a clustered gateway (data member, the cluster's seed), then the bench member;
#   1. request/reply: sequential {"action":"summary"} requests to an edge node's executor
#      (codex32.node.bench-edge.executor), against a Vert.x NetSocket ping-pong with the same
#      bodies between the bench member and a reference server process, in alternating rounds;
#   2. join time of an edge-node jar (member added, "is up", first heartbeat, gateway lists it
#      online) and of a bare clustered Vert.x lite member, several runs each;
#   3. node loss: kill -9 of an edge node (and SIGSTOP, a node that goes silent with its sockets
#      open); time until Hazelcast removes the member and until the gateway lists the node
#      offline, against cluster.failure_timeout_ms and nodes.offline_after_ms;
#   4. memory: VmRSS of an idle clustered edge node against a bare lite member with the same JVM
#      flags, with the run's flags and with a small heap; RSS of the gateway.
#
# Usage: bench/cluster.sh             (about 8-10 minutes with the defaults on a busy 2-core machine)
# Environment (all optional):
#   BENCH_WARMUP_S                  request/reply warm-up seconds per target            (default 5)
#   BENCH_DURATION_S                request/reply measured seconds per target           (default 15)
#   BENCH_CLUSTER_ROUNDS            alternating rounds the measured seconds are split in (default 3)
#   BENCH_CLUSTER_JOIN_RUNS         join runs per kind of member                        (default 5)
#   BENCH_CLUSTER_LOSS_RUNS         kill -9 runs                                         (default 3)
#   BENCH_CLUSTER_FREEZE_RUNS       SIGSTOP runs (a node frozen with its sockets open)   (default 3)
#   BENCH_CLUSTER_SETTLE_S          seconds members are left alone before RSS sampling   (default 30)
#   BENCH_CLUSTER_FAILURE_TIMEOUT_MS  cluster.failure_timeout_ms of every member (default 5000, the product's)
#   BENCH_CLUSTER_HEARTBEAT_MS      cluster.heartbeat_interval_ms of every member         (default 1000)
#   BENCH_NODE_HEARTBEAT_MS         node.heartbeat_interval_ms of the edge nodes          (default 2000)
#   BENCH_NODES_OFFLINE_AFTER_MS    nodes.offline_after_ms of the gateway                 (default 10000)
#   BENCH_CLUSTER_SMALL_JVM_FLAGS   second flag set of the memory phase, "" to skip (default -Xmx128m -XX:+UseSerialGC)
#   BENCH_JVM_FLAGS                 JVM flags of every JVM (default -Xms256m -Xmx1g); all but the
#                                   gateway's also get the Hazelcast flags below
#   BENCH_QUIET_WAIT_S              wait up to this long for the machine to be idle first (default 0)
set -euo pipefail

BENCH_NAME=cluster-bench
BENCH_PIDS=(TOOL_PID:bench-member GW_PID:gateway)
SWEEP_WORK=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-15}
ROUNDS=${BENCH_CLUSTER_ROUNDS:-3}
JOIN_RUNS=${BENCH_CLUSTER_JOIN_RUNS:-5}
LOSS_RUNS=${BENCH_CLUSTER_LOSS_RUNS:-3}
FREEZE_RUNS=${BENCH_CLUSTER_FREEZE_RUNS:-3}
SETTLE_S=${BENCH_CLUSTER_SETTLE_S:-30}
FAILURE_TIMEOUT_MS=${BENCH_CLUSTER_FAILURE_TIMEOUT_MS:-5000}
CLUSTER_HEARTBEAT_MS=${BENCH_CLUSTER_HEARTBEAT_MS:-1000}
NODE_HEARTBEAT_MS=${BENCH_NODE_HEARTBEAT_MS:-2000}
OFFLINE_AFTER_MS=${BENCH_NODES_OFFLINE_AFTER_MS:-10000}
SMALL_JVM_FLAGS=${BENCH_CLUSTER_SMALL_JVM_FLAGS--Xmx128m -XX:+UseSerialGC}
LAST_RUN=bench/target/last-cluster-run

EDGE_JAR=edge-node/target/codex32-edge-node.jar
# What Hazelcast needs on Java 17 (docs: /work/shared/DEPENDENCIES.md); the product jars carry the
# --add-opens in their manifests, the bench JVMs get them here, the edge nodes too (same flags as the bare member).
HZ_FLAGS="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED"
HZ_FLAGS+=" --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED"
HZ_FLAGS+=" --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
read -r -a HZ <<<"$HZ_FLAGS"

# ---- prerequisites ----------------------------------------------------------------------------

if [[ ! -f $EDGE_JAR ]]; then
  log "building the product jars (mvn -q -DskipTests package)"
  mvn -q -DskipTests package >&2
fi
build_jars
init_work codex32-cluster-bench

free_port() { # a port nothing listens on at 127.0.0.1, below the usual ephemeral range
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  log "no free port found"
  return 1
}

quiet_wait

# ---- 0. the gateway, the cluster's first (and only data) member --------------------------------

CLUSTER_PORT=$(free_port)
SEED=127.0.0.1:$CLUSTER_PORT
GW_T0=$(date +%s%N)
start_gateway CODEX32_MQTT_HOST=127.0.0.1 CODEX32_MQTT_PORT=0 CODEX32_NODE_ID=bench-gw \
  CODEX32_CLUSTER_ENABLED=true CODEX32_CLUSTER_HOST=127.0.0.1 CODEX32_CLUSTER_PORT="$CLUSTER_PORT" \
  CODEX32_CLUSTER_MEMBERS="$SEED" CODEX32_CLUSTER_HEARTBEAT_INTERVAL_MS="$CLUSTER_HEARTBEAT_MS" \
  CODEX32_CLUSTER_FAILURE_TIMEOUT_MS="$FAILURE_TIMEOUT_MS" CODEX32_NODES_OFFLINE_AFTER_MS="$OFFLINE_AFTER_MS"
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
GW_READY_S=$(awk -v a="$GW_T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
log "gateway pid $GW_PID on 127.0.0.1:$GW_PORT, Hazelcast on $SEED, ready after $GW_READY_S s"
GW_RSS_READY=$(vm_status "$GW_PID" VmRSS)

# ---- 1-4. the bench member does the rest -------------------------------------------------------

set +e
java "${JVM[@]}" "${HZ[@]}" -cp "$BENCH_JAR" io.codex32.bench.ClusterBench run \
  --launched-ms="$(date +%s%3N)" --seed="$SEED" --gateway-port="$GW_PORT" --gateway-pid="$GW_PID" --password="$PASSWORD" \
  --edge-jar="$ROOT/$EDGE_JAR" --bench-jar="$ROOT/$BENCH_JAR" --work="$WORK" \
  --jvm-flags="$JVM_FLAGS" --hz-flags="$HZ_FLAGS" --small-jvm-flags="$SMALL_JVM_FLAGS" \
  --cluster-heartbeat-ms="$CLUSTER_HEARTBEAT_MS" --failure-timeout-ms="$FAILURE_TIMEOUT_MS" \
  --node-heartbeat-ms="$NODE_HEARTBEAT_MS" --offline-after-ms="$OFFLINE_AFTER_MS" \
  --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" --rounds="$ROUNDS" --join-runs="$JOIN_RUNS" --loss-runs="$LOSS_RUNS" \
  --freeze-runs="$FREEZE_RUNS" \
  --settle-s="$SETTLE_S" --out="$WORK/results.json" --md="$WORK/results.md" >/dev/null &
TOOL_PID=$!
wait "$TOOL_PID"
TOOL_EXIT=$?
TOOL_PID=
set -e

GW_RSS=$(vm_status "$GW_PID" VmRSS)
GW_HWM=$(vm_status "$GW_PID" VmHWM)
stop_var GW_PID gateway
kill_leftovers "after the run" # the tool stops what it started: expect none

# ---- report -----------------------------------------------------------------------------------

keep_gateway_log
cp "$WORK"/bench-*.log "$WORK"/net-server.log "$WORK"/results.* "$LAST_RUN/" 2>/dev/null || true
CHILD_LOGS=("$LAST_RUN"/bench-*.log)
CHILD_BLOCKED=0
if [[ -e ${CHILD_LOGS[0]} ]]; then
  CHILD_BLOCKED=$(cat "${CHILD_LOGS[@]}" | grep -c 'has been blocked for' || true)
fi

{
  echo "## Cluster results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`, plus on every JVM but the gateway's the Hazelcast flags" \
    "\`$HZ_FLAGS\`."
  echo
  busy_line
  echo
  echo "One gateway (Hazelcast data member, file store, the cluster's only seed: $SEED) ready $GW_READY_S s after its launch" \
    "(\`/health/ready\` polled every 0.1 s); edge nodes and bench JVMs are lite members; everything on 127.0.0.1."
  echo
  if [[ -f $WORK/results.md ]]; then cat "$WORK/results.md"; else echo "(the bench member wrote no results)"; fi
  echo "Gateway RSS: $GW_RSS_READY MiB when ready, $GW_RSS MiB after the run (peak $GW_HWM MiB)." \
    "Gateway log: $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings; edge-node and bare-member logs:" \
    "$CHILD_BLOCKED blocked-thread warnings (kept in $LAST_RUN/ with the JSON results); processes left over and killed: $LEFTOVERS."
  if [[ $TOOL_EXIT -ne 0 ]]; then
    echo
    echo "**INVALID RUN**: the bench member exited with $TOOL_EXIT (see stderr)."
  fi
} | tee "$LAST_RUN/report.md"

exit "$TOOL_EXIT"
