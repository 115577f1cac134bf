package io.codex32.voice;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Real speech for tests: espeak-ng (en-us) says a sentence, sox makes it 16 kHz mono s16le; each sentence made once per JVM. */
final class Speech {

  /** The vocabulary the tests speak in. */
  static final Vocabulary BOTS = new Vocabulary(List.of("(start | stop) [the] <bot>"),
      Map.of("bot", List.of("weather station", "pump two")));
  private static final Map<String, Path> WAVS = new ConcurrentHashMap<>();
  private static Path dir;

  private Speech() {
  }

  /** Skips the test, saying why, unless espeak-ng, sox and Debian's PocketSphinx (command and en-us model) are installed. */
  static void assumeInstalled() {
    for (String tool : List.of("espeak-ng", "sox", "pocketsphinx_continuous")) {
      assumeTrue(PocketsphinxEngine.executable(tool).isPresent(), tool + " is not installed (see build-tools/provision-test-deps.sh)");
    }
    assumeTrue(Files.isRegularFile(PocketsphinxEngine.DEBIAN_MODEL.resolve("mdef")), "pocketsphinx-en-us is not installed");
  }

  /** {@code text} spoken, as a 16 kHz mono 16-bit WAV file. */
  static synchronized Path wav(String text) {
    return WAVS.computeIfAbsent(text, Speech::make);
  }

  /** {@code text} spoken, as raw 16 kHz mono s16le PCM. */
  static byte[] pcm(String text) {
    try {
      byte[] wav = Files.readAllBytes(wav(text));
      return java.util.Arrays.copyOfRange(wav, 44, wav.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code seconds} of silence. */
  static byte[] silence(double seconds) {
    return new byte[(int) (seconds * SpeechEngine.SAMPLE_RATE) * 2];
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  private static Path make(String text) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("codex32-speech-");
      }
      Path raw = dir.resolve("s" + WAVS.size() + "-22k.wav");
      Path wav = dir.resolve("s" + WAVS.size() + ".wav");
      run("espeak-ng", "-v", "en-us", "-w", raw.toString(), text);
      // -b 16 -e signed-integer: a plain 44-byte header, then s16le samples
      run("sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", wav.toString());
      return wav;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed");
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
