# Shell functions shared by the bench/*.sh scripts.
# Sourced, not run: the script sets BENCH_NAME (the prefix of its progress lines) first, and
# BENCH_PIDS, the "VARIABLE:name" pairs of the processes its clean-up stops, in that order; those
# variables start empty here. Sourcing it changes to the repository's root and reads
# BENCH_JVM_FLAGS and BENCH_QUIET_WAIT_S.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

JVM_FLAGS=${BENCH_JVM_FLAGS:--Xms256m -Xmx1g}
QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-0}
read -r -a JVM <<<"$JVM_FLAGS"

GATEWAY_JAR=gateway/target/codex32-gateway.jar
BENCH_JAR=bench/target/codex32-bench-all.jar
CLK_TCK=$(getconf CLK_TCK)

log() { echo "$BENCH_NAME: $*" >&2; }

for entry in "${BENCH_PIDS[@]}"; do
  printf -v "${entry%%:*}" '%s' ''
done

build_jars() { # the gateway jar when it is missing or older than its sources (the bench tool compiles against it), the bench tool always
  if [[ ! -f $GATEWAY_JAR || -n $(find verticles/src gateway/src conf webroot pom.xml -newer "$GATEWAY_JAR" -print -quit) ]]; then
    log "building the gateway jar (mvn -q -DskipTests package)"
    mvn -q -DskipTests package >&2
  fi
  log "building the bench tool"
  mvn -q -f bench/pom.xml package >&2
}

apt_install_quietly() { # package: apt-get install without starting the service it ships; returns apt-get's exit code
  local made_policy= rc
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # tells invoke-rc.d / deb-systemd-invoke not to start the service the package installs
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  set +e
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2
  rc=$?
  set -e
  [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
  return $rc
}

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

stop_var() { # VARIABLE name: stops the process whose pid the variable holds, then empties it
  stop "${!1}" "$2"
  printf -v "$1" '%s' ''
}

# Prints what `probe...` prints (a path, say); when it prints nothing, installs the Debian package
# (as root, without starting its service; otherwise says what to run and exits 2) and probes again.
ensure_package() { # package what probe...
  local package=$1 what=$2 found rc=0
  shift 2
  found=$("$@" || true)
  if [[ -z $found ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      log "$what is missing; install Debian's package first: sudo apt-get install -y $package"
      exit 2
    fi
    log "$what is missing: installing Debian's '$package' package with apt-get (its service is not started)"
    apt_install_quietly "$package" || rc=$?
    found=$("$@" || true)
    if [[ $rc -ne 0 || -z $found ]]; then
      log "installing $package failed (apt-get exit $rc); try apt-get update first"
      exit 2
    fi
  fi
  echo "$found"
}

# Bots and the references' commands run with their working directory under $WORK and may lead
# their own sessions, outside this script's process group: find them by working directory.
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

# Stops the processes named in BENCH_PIDS; with SWEEP_WORK=1 also whatever still runs under $WORK.
cleanup() {
  local entry var
  for entry in "${BENCH_PIDS[@]}"; do
    var=${entry%%:*}
    stop "${!var:-}" "${entry#*:}"
  done
  [[ ${SWEEP_WORK:-} == 1 ]] && kill_leftovers "at exit"
  rm -rf "$WORK"
}

init_work() { # name: the temporary directory $WORK, removed (after the clean-up) when the script exits
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

# ports.json {"http": N, ...} appears once the server listens; then /health/ready must answer 200.
wait_ready() { # dir pid name -> prints the HTTP port
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

quiet_wait() { # sets BUSY_BEFORE, waiting up to QUIET_WAIT_S for it to drop below 0.3 cores
  local waited=0
  BUSY_BEFORE=$(busy_cores)
  while awk -v b="$BUSY_BEFORE" 'BEGIN { exit !(b >= 0.3) }' && (( waited < QUIET_WAIT_S )); do
    log "machine busy ($BUSY_BEFORE cores) before the run; waiting for it to be idle"
    BUSY_BEFORE=$(busy_cores)
    waited=$((waited + 2))
  done
}

vm_status() { # pid field [printf format] -> value in MiB
  awk -v f="$2:" -v fmt="${3:-%.0f}" '$1 == f { printf fmt, $2 / 1024 }' "/proc/$1/status"
}

# Starts the gateway jar on a fresh data dir $WORK/gateway, HTTP on a free loopback port, admin
# password $PASSWORD (made up here); extra NAME=value settings go into its environment. Sets GW_PID.
start_gateway() {
  PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  log "starting the gateway (data in $WORK/gateway)"
  env CODEX32_DATA_DIR="$WORK/gateway" CODEX32_HTTP_PORT=0 CODEX32_HTTP_HOST=127.0.0.1 \
    CODEX32_ADMIN_PASSWORD="$PASSWORD" "$@" \
    java "${JVM[@]}" -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
  GW_PID=$!
}

keep_logs() { # name...: empties $LAST_RUN and keeps $WORK/<name>.log there without access lines
  local name
  rm -rf "$LAST_RUN"
  mkdir -p "$LAST_RUN"
  for name in "$@"; do
    grep -v '"logger_name":"codex32.access"' "$WORK/$name.log" >"$LAST_RUN/$name.log" || true
  done
}

# Empties $LAST_RUN and keeps the gateway's log there without its access lines; sets WARNS,
# ERRORS and BLOCKED (blocked-thread warnings) from it.
keep_gateway_log() {
  keep_logs gateway
  BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/gateway.log" || true)
  WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/gateway.log" || true)
  ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/gateway.log" || true)
}

run_stamp() { # "<UTC time>, commit <short hash>" for a report's title
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

machine_summary() { # "<cores> cores, <CPU model>, <memory> GiB"
  echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
}

busy_line() {
  echo "Machine busy before the run (other processes): $BUSY_BEFORE cores over 2 s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
}
