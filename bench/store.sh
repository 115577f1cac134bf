#!/usr/bin/env bash
# Store benchmark: the same gateway jar on store=file and on store=postgres, measured in one run
# with the same load (GET /api/v1/bots/{id} and POST /api/v1/bots). Prints a Markdown report on
# stdout; progress goes to stderr. See docs/benchmarks.md. Traffic goes to 127.0.0.1 only; every
# phase is bounded in time and request count, and everything this script starts is stopped when
# it exits.
#
# Needs Debian's PostgreSQL server binaries (package `postgresql`, any version from 13 on); when
# they are missing and this runs as root, installs the package (its own service is not started).
# The database cluster is a fresh one in the temporary directory, on a free loopback port,
# with the default durability settings (fsync on, synchronous_commit on).
#
# Usage: bench/store.sh
# Environment (all optional): BENCH_CONNECTIONS (default 16,64), BENCH_WARMUP_S (5),
# BENCH_DURATION_S (10), BENCH_MAX_REQUESTS (1000000), BENCH_JVM_FLAGS (-Xms256m -Xmx1g),
# BENCH_QUIET_WAIT_S (0), BENCH_PG_POOL_SIZE (the gateway's pg.pool_size, default 8).
set -euo pipefail

BENCH_NAME=store-bench
BENCH_PIDS=(GW_PID:file-gateway PG_GW_PID:postgres-gateway PG_PID:postgres)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${BENCH_CONNECTIONS:-16,64}
WARMUP_S=${BENCH_WARMUP_S:-5}
DURATION_S=${BENCH_DURATION_S:-10}
MAX_REQUESTS=${BENCH_MAX_REQUESTS:-1000000}
POOL_SIZE=${BENCH_PG_POOL_SIZE:-8}
LAST_RUN=bench/target/last-store-run

pg_bin() { # the newest Debian PostgreSQL bin directory, or nothing
  find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

free_port() { # a loopback port nothing listens on
  local port
  for _ in $(seq 1 50); do
    port=$((40000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

build_jars
PG_BIN=$(ensure_package postgresql PostgreSQL pg_bin)
PG_VERSION=$("$PG_BIN/postgres" --version)

init_work codex32-store-bench
quiet_wait

# initdb and the server refuse to run as root: as root they run as the 'postgres' user Debian's package creates.
PG_DATA=$WORK/pgdata
PG_PORT=$(free_port)
mkdir -p "$PG_DATA"
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then
  chmod 755 "$WORK"
  chown postgres "$PG_DATA"
  AS_PG=(runuser -u postgres --)
fi
log "initialising a PostgreSQL cluster in $PG_DATA ($PG_VERSION)"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 >"$WORK/initdb.log" 2>&1
"${AS_PG[@]}" "$PG_BIN/postgres" -D "$PG_DATA" -p "$PG_PORT" -k "$PG_DATA" -c listen_addresses=127.0.0.1 \
  -c max_connections=50 >"$WORK/postgres.log" 2>&1 &
PG_PID=$!
for _ in $(seq 1 100); do
  "${AS_PG[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c 'SELECT 1' >/dev/null 2>&1 && break
  kill -0 "$PG_PID" 2>/dev/null || { log "PostgreSQL exited during start-up:"; tail -n 20 "$WORK/postgres.log" >&2; exit 1; }
  sleep 0.1
done
# The server itself, not runuser in front of it, is what the clean-up signals.
PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
"${AS_PG[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c 'CREATE DATABASE codex32' >/dev/null
log "PostgreSQL pid $PG_PID on 127.0.0.1:$PG_PORT"

# Two gateways, one after the other, each with its own data directory and the same admin password.
start_gateway CODEX32_MQTT_PORT=0 CODEX32_MQTT_HOST=127.0.0.1
GW_PORT=$(wait_ready "$WORK/gateway" "$GW_PID" gateway)
log "starting the postgres gateway (data in $WORK/pg-gateway)"
env CODEX32_DATA_DIR="$WORK/pg-gateway" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 CODEX32_MQTT_PORT=0 CODEX32_MQTT_HOST=127.0.0.1 \
  CODEX32_ADMIN_PASSWORD="$PASSWORD" CODEX32_STORE=postgres \
  CODEX32_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/codex32" CODEX32_PG_POOL_SIZE="$POOL_SIZE" \
  java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/pg-gateway.log" 2>&1 &
PG_GW_PID=$!
PG_GW_PORT=$(wait_ready "$WORK/pg-gateway" "$PG_GW_PID" pg-gateway)
log "file gateway pid $GW_PID on :$GW_PORT, postgres gateway pid $PG_GW_PID on :$PG_GW_PORT"

set +e
java "${JVM[@]}" -jar "$BENCH_JAR" \
  --gateway-port="$GW_PORT" --gateway-pid="$GW_PID" --gateway-name=file \
  --compare-port="$PG_GW_PORT" --compare-pid="$PG_GW_PID" --compare-name=postgres \
  --password="$PASSWORD" --connections="$CONNECTIONS" --warmup-s="$WARMUP_S" --duration-s="$DURATION_S" \
  --max-requests="$MAX_REQUESTS" --out="$WORK/results.md" >/dev/null
LOAD_EXIT=$?
set -e

FILE_RSS=$(vm_status "$GW_PID" VmRSS)
PG_GW_RSS=$(vm_status "$PG_GW_PID" VmRSS)
PG_ROWS=$("${AS_PG[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d codex32 -qAt \
  -c "SELECT count(*) || ' rows, ' || pg_size_pretty(pg_total_relation_size('documents')) FROM documents")
FILE_JOURNAL=$(du -sh "$WORK/gateway/store" 2>/dev/null | cut -f1)
stop_var GW_PID file-gateway
stop_var PG_GW_PID postgres-gateway
stop_var PG_PID postgres

keep_logs gateway pg-gateway
cp "$WORK/postgres.log" "$LAST_RUN/postgres.log"
BLOCKED=$(cat "$LAST_RUN"/*gateway.log | grep -c 'has been blocked for' || true)
ERRORS=$(cat "$LAST_RUN"/*gateway.log | grep -c '"level":"ERROR"' || true)

{
  echo "## Results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary); $(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`;" \
    "$PG_VERSION, pg.pool_size $POOL_SIZE"
  echo
  busy_line
  echo
  if [[ -f $WORK/results.md ]]; then cat "$WORK/results.md"; else echo "(the load generator wrote no results)"; fi
  echo
  echo "RSS after the run: file gateway $FILE_RSS MiB, postgres gateway $PG_GW_RSS MiB (PostgreSQL's own processes not included)."
  echo "Store after the run: file journal $FILE_JOURNAL; PostgreSQL documents table $PG_ROWS."
  echo "Gateway logs without access lines: $ERRORS ERROR, $BLOCKED blocked-thread warnings; kept in $LAST_RUN/."
  if [[ $LOAD_EXIT -ne 0 ]]; then
    echo
    echo "**INVALID RUN**: the load generator exited with $LOAD_EXIT (errors > 0 or a failure; see stderr)."
  fi
}

exit "$LOAD_EXIT"
