#!/usr/bin/env bash
# Chat and voice benchmark: speech recognition through /ws/command against the same engine run
# directly, and the round trip of a typed utterance over the WebSocket and over REST, each against
# a floor measured in the same run. Prints a Markdown report on stdout; progress goes to stderr.
# See docs/benchmarks.md, "Chat and voice". Loopback only; bounded in count and time; everything
# this script starts is stopped when it exits.
#
# One JVM (VoiceBench) holds a real gateway (voice.engine pocketsphinx) and the clients:
#   1. Recognition: ten espeak-ng sentences (en-us; sox → 16 kHz mono s16le) naming six bots the
#      harness creates, decoded on every path in turn: pocketsphinx_continuous -infile <file.raw>
#      run directly with PocketsphinxEngine's arguments and the grammar the gateway builds from the
#      same names (checked against the gateway's own file), process start → exit; the engine class's
#      transcribe(); /ws/command/admin with the audio sent as fast as possible, audio_start →
#      transcript; and (first round) the same at real-time pace. The texts must be identical.
#   2. Text: {"type":"message","text":"status of weather station"} → reply over /ws/command (ping →
#      pong as the floor) and POST /api/v1/chat on one keep-alive connection (GET /health as the
#      floor), one at a time, interleaved.
#
# Usage: bench/voice.sh                (about 2 minutes with the defaults on 2 cores)
# Environment (all optional):
#   BENCH_VOICE_ROUNDS          decodes of each sentence per path                   (default 3)
#   BENCH_VOICE_PACED_ROUNDS    of those rounds, how many also send at real-time pace (default 1)
#   BENCH_VOICE_FRAME_BYTES     bytes per WebSocket audio frame                     (default 8192)
#   BENCH_VOICE_TEXT_OPS        measured text round trips per path                  (default 800)
#   BENCH_VOICE_TEXT_WARMUP     warm-up text round trips per path                   (default 200)
#   BENCH_VOICE_TEXT_SOCKETS    /ws/command sockets used in turn (each takes 5 frames/s; at most 19) (default 16)
#   BENCH_VOICE_MAX_S           bound on both measured phases together              (default 300)
#   BENCH_JVM_FLAGS             JVM flags of the harness (default -Xms256m -Xmx1g)
#   BENCH_QUIET_WAIT_S          wait up to this long for the machine to be idle first (default 0)
set -euo pipefail

BENCH_NAME=voice-bench
BENCH_PIDS=(HARNESS_PID:harness)
# bots the chat starts (sleep) run under the gateway's data directory: swept at exit
SWEEP_WORK=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${BENCH_VOICE_ROUNDS:-3}
PACED_ROUNDS=${BENCH_VOICE_PACED_ROUNDS:-1}
FRAME_BYTES=${BENCH_VOICE_FRAME_BYTES:-8192}
TEXT_OPS=${BENCH_VOICE_TEXT_OPS:-800}
TEXT_WARMUP=${BENCH_VOICE_TEXT_WARMUP:-200}
TEXT_SOCKETS=${BENCH_VOICE_TEXT_SOCKETS:-16}
MAX_S=${BENCH_VOICE_MAX_S:-300}
LAST_RUN=bench/target/last-voice-run

if (( TEXT_SOCKETS < 1 || TEXT_SOCKETS > 19 )); then
  # one more socket carries the audio; ws.max_connections_per_user is 20
  log "BENCH_VOICE_TEXT_SOCKETS must be 1 to 19"
  exit 2
fi
if (( FRAME_BYTES < 2 || FRAME_BYTES % 2 != 0 )); then
  log "BENCH_VOICE_FRAME_BYTES must be a positive even number (whole 16-bit samples)"
  exit 2
fi

ensure_package pocketsphinx "pocketsphinx_continuous" command -v pocketsphinx_continuous >/dev/null
ensure_package pocketsphinx-en-us "PocketSphinx's en-us model" \
  sh -c 'test -f /usr/share/pocketsphinx/model/en-us/en-us/mdef && echo yes' >/dev/null
ensure_package espeak-ng "espeak-ng" command -v espeak-ng >/dev/null
ensure_package sox "sox" command -v sox >/dev/null
PS_VERSION=$(dpkg-query -W -f='${Version}' pocketsphinx 2>/dev/null || echo unknown)
ESPEAK_VERSION=$(espeak-ng --version | sed -n 's/.*text-to-speech: \([^ ]*\).*/\1/p')

build_jars
init_work codex32-voice-bench
quiet_wait
mkdir -p "$WORK/tmp" "$WORK/harness"

# the harness's JVM logs the gateway's JSON lines on stdout, its progress on stderr; the report goes
# to a file. Its temporary files (the engine's grammars and logs) stay under $WORK.
log "running the harness (logs in $WORK/harness.log)"
java "${JVM[@]}" -Djava.io.tmpdir="$WORK/tmp" -Dlogback.configurationFile=conf/logback.xml -cp "$GATEWAY_JAR:$BENCH_JAR" \
  io.codex32.bench.VoiceBench --data-dir="$WORK/gateway" --work-dir="$WORK/harness" --out="$WORK/report.md" \
  --rounds="$ROUNDS" --paced-rounds="$PACED_ROUNDS" --frame-bytes="$FRAME_BYTES" --text-ops="$TEXT_OPS" \
  --text-warmup="$TEXT_WARMUP" --text-sockets="$TEXT_SOCKETS" --max-s="$MAX_S" >"$WORK/harness.log" &
HARNESS_PID=$!
rc=0
wait "$HARNESS_PID" || rc=$?
HARNESS_PID=
if (( rc != 0 )); then
  log "the harness failed (exit $rc); the end of its log:"
  tail -n 30 "$WORK/harness.log" >&2
  exit 1
fi

keep_logs harness
cp "$WORK/harness/grammar.jsgf" "$LAST_RUN/"
BLOCKED=$(grep -c 'has been blocked for' "$LAST_RUN/harness.log" || true)
WARNS=$(grep -c '"level":"WARN"' "$LAST_RUN/harness.log" || true)
ERRORS=$(grep -c '"level":"ERROR"' "$LAST_RUN/harness.log" || true)

{
  echo "## Chat and voice results ($(run_stamp))"
  echo
  echo "Machine: $(machine_summary), kernel $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); JVM flags: \`$JVM_FLAGS\`; pocketsphinx $PS_VERSION, espeak-ng $ESPEAK_VERSION."
  echo
  busy_line
  echo
  cat "$WORK/report.md"
  echo
  echo "Harness log (gateway): $WARNS WARN, $ERRORS ERROR, $BLOCKED blocked-thread warnings (kept in $LAST_RUN/ with the grammar)."
} | tee "$LAST_RUN/report.md"
