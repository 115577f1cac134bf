package io.codex32.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real speech for tests: espeak-ng (en-us voice) says the text, sox turns it into what
 * {@code /ws/command} takes, 16 kHz mono signed 16-bit little-endian PCM.
 */
public final class Speech {

  private Speech() {
  }

  /** Skips the calling test, with the reason, when espeak-ng or sox is not installed. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/espeak-ng")) && Files.isExecutable(Path.of("/usr/bin/sox")),
        "espeak-ng and sox are needed to make test speech (build-tools/provision-test-deps.sh installs them)");
  }

  /** {@code text} spoken, as raw 16 kHz mono s16le PCM. */
  public static byte[] pcm(String text) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("codex32-speech");
    try {
      Path wav = dir.resolve("speech.wav");
      Path raw = dir.resolve("speech.raw");
      run(List.of("espeak-ng", "-v", "en-us", "-w", wav.toString(), text));
      run(List.of("sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw.toString()));
      return Files.readAllBytes(raw);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish in 20 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(command + " exited with " + process.exitValue());
    }
  }
}
