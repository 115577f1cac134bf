#!/usr/bin/env bash
# Installs (or updates) the Codex-32 edge node as a systemd service on a Raspberry Pi or any
# Debian-based Linux box. Safe to run again: existing users, directories and settings are kept;
# the jar and the unit are replaced and the service restarted.
#
#   sudo deploy/install-edge-node.sh [--node-id ID] [--no-start] [JAR]
#
# JAR defaults to edge-node/target/codex32-edge-node.jar next to this script's repository.
# --node-id is written to /etc/codex32/edge-node.env only when that file does not exist yet
# (default: the host name, lower-cased, other characters replaced by '-').
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../edge-node/target/codex32-edge-node.jar"
node_id=""
start=yes

while [ $# -gt 0 ]; do
  case "$1" in
    --node-id) node_id=${2:?--node-id needs a value}; shift 2 ;;
    --node-id=*) node_id=${1#--node-id=}; shift ;;
    --no-start) start=no; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "install-edge-node: unknown option $1" >&2; exit 2 ;;
    *) jar=$1; shift ;;
  esac
done

user=codex32
app_dir=/opt/codex32
data_dir=/var/lib/codex32-edge
conf_dir=/etc/codex32
env_file=$conf_dir/edge-node.env
unit=codex32-edge-node.service

if [ "$(id -u)" -ne 0 ]; then
  echo "install-edge-node: run as root (sudo $0 $*)" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "install-edge-node: $jar not found; build it with 'mvn -DskipTests package' or pass its path" >&2
  exit 1
fi

# Java 17 or newer
java_major=""
if command -v java >/dev/null 2>&1; then
  java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
fi
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "install-edge-node: installing a Java runtime (17 or newer needed, found '${java_major:-none}')"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends openjdk-17-jre-headless </dev/null \
    || apt-get install -y -q --no-install-recommends default-jre-headless </dev/null
fi
if [ ! -x /usr/bin/java ]; then
  echo "install-edge-node: the unit starts /usr/bin/java, which does not exist; link it or edit the unit" >&2
  exit 1
fi

# Service user and directories
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin "$user"
fi
# The unit runs with SupplementaryGroups=gpio (Raspberry Pi OS has the group; elsewhere it must exist)
getent group gpio >/dev/null 2>&1 || groupadd --system gpio
install -d -m 0755 -o root -g root "$app_dir"
install -d -m 0750 -o "$user" -g "$user" "$data_dir"
install -d -m 0750 -o root -g "$user" "$conf_dir"

# Settings: created once, never overwritten
if [ ! -f "$env_file" ]; then
  if [ -z "$node_id" ]; then
    node_id=$(hostname | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9-]/-/g' -e 's/^-*//' | cut -c1-63)
    node_id=${node_id:-local}
  fi
  umask 027
  cat > "$env_file" <<CONF
# Codex-32 edge node settings (see docs/configuration.md). Restart the service after changes.
CODEX32_NODE_ID=$node_id
#CODEX32_NODE_LABELS=room=attic,gpio=true
#CODEX32_HTTP_PORT=8081
# what bots may run here (empty: nothing)
#CODEX32_EXECUTOR_ALLOWED_COMMANDS=python3
# join the gateways' cluster: this Pi's address and the gateways' (Hazelcast port 5701)
#CODEX32_CLUSTER_ENABLED=true
#CODEX32_CLUSTER_HOST=10.0.0.21
#CODEX32_CLUSTER_MEMBERS=10.0.0.10,10.0.0.11
# how this node's bots reach a gateway
#CODEX32_GATEWAY_API_URL=http://10.0.0.10:8080
#CODEX32_GATEWAY_MQTT_URL=mqtt://10.0.0.10:1883
# GPIO: auto = libgpiod on a Pi, else simulated; only declared pins can be touched
#CODEX32_GPIO_PROVIDER=gpiod
#CODEX32_GPIO_PINS=[{"name":"relay","bcm":17,"mode":"output","initial":"low","shutdown":"low"},{"name":"button","bcm":27,"mode":"input","pull":"up","debounce_ms":20}]
CONF
  chgrp "$user" "$env_file"
  echo "install-edge-node: wrote $env_file (node id '$node_id')"
elif [ -n "$node_id" ]; then
  echo "install-edge-node: $env_file exists; left unchanged (edit CODEX32_NODE_ID there)"
fi

# Jar and unit
install -m 0644 -o root -g root "$jar" "$app_dir/codex32-edge-node.jar"
install -m 0644 -o root -g root "$here/$unit" "/etc/systemd/system/$unit"

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable "$unit" >/dev/null
  if [ "$start" = yes ]; then
    systemctl restart "$unit"
    echo "install-edge-node: $unit (re)started; logs: journalctl -u $unit -f"
  else
    echo "install-edge-node: $unit installed and enabled, not started"
  fi
else
  echo "install-edge-node: systemd is not running here; installed files only"
fi
