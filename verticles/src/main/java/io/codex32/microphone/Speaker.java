package io.codex32.microphone;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says a reply aloud with espeak-ng on the node's default audio output: a child process without a
 * shell, the text on its stdin (so no text is ever read as an option), killed after
 * {@value #MAX_SECONDS} s. Blocking: run off the event loop.
 */
final class Speaker {

  static final String COMMAND = "espeak-ng";
  private static final long MAX_SECONDS = 30;
  private static final Logger LOG = LoggerFactory.getLogger(Speaker.class);

  private Speaker() {
  }

  /** True when espeak-ng is an executable file on the PATH. */
  static boolean installed() {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, COMMAND)));
  }

  /** Speaks {@code text}; a failure is logged, never thrown. */
  static void say(String text) {
    try {
      Process process = new ProcessBuilder(COMMAND, "-v", "en-us", "--stdin").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(MAX_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        LOG.warn("{} did not finish speaking within {} s and was killed", COMMAND, MAX_SECONDS);
      } else if (process.exitValue() != 0) {
        LOG.warn("{} exited with {} while speaking a reply", COMMAND, process.exitValue());
      }
    } catch (IOException e) {
      LOG.warn("could not speak a reply with {}: {}", COMMAND, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
