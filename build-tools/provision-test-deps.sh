#!/usr/bin/env bash
# Installs what the test suite needs on Debian/Ubuntu, and only what is missing.
#
#   build-tools/provision-test-deps.sh
#
# Does nothing when everything is present. As root it installs missing packages with apt-get
# (running `apt-get update` once first); as another user it prints the command to run and exits 1.
set -euo pipefail

# Debian packages the tests use beyond a JDK and Maven. Add one per line as capabilities need
# them (e.g. mosquitto-clients, chromium, chromium-driver). libssl3: the Redis server the tests
# start comes from the embedded-redis jar and links against it.
TEST_PACKAGES=(
  libssl3
  mosquitto-clients
  openssl
  chromium
  chromium-driver
  pocketsphinx
  pocketsphinx-en-us
  espeak-ng
  sox
  alsa-utils
)

# Commands every build needs, with the Debian package that provides each.
REQUIRED_COMMANDS=(
  "javac:default-jdk-headless"
  "java:default-jdk-headless"
  "mvn:maven"
)

MIN_JAVA=17

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
add_missing() {
  local pkg
  for pkg in "${missing[@]+"${missing[@]}"}"; do
    [ "$pkg" = "$1" ] && return 0
  done
  missing+=("$1")
}

for entry in "${REQUIRED_COMMANDS[@]}"; do
  command -v "${entry%%:*}" >/dev/null 2>&1 || add_missing "${entry#*:}"
done

if [ "${#TEST_PACKAGES[@]}" -gt 0 ]; then
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "provision-test-deps: not a Debian system; install these packages yourself: ${TEST_PACKAGES[*]}" >&2
    exit 1
  fi
  for pkg in "${TEST_PACKAGES[@]}"; do
    is_installed "$pkg" || add_missing "$pkg"
  done
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "provision-test-deps: missing ${missing[*]} and no apt-get here; install them (JDK ${MIN_JAVA}+, Maven 3.8+) and retry" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "provision-test-deps: missing packages: ${missing[*]}" >&2
    echo "  run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "provision-test-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
if [ -z "$java_major" ] || [ "$java_major" -lt "$MIN_JAVA" ]; then
  echo "provision-test-deps: Java ${MIN_JAVA} or newer is required, found '${java_major:-unknown}'" >&2
  exit 1
fi

echo "provision-test-deps: all test dependencies present"
