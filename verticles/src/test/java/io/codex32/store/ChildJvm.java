package io.codex32.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a separate JVM with this JVM's class path. */
final class ChildJvm {

  private ChildJvm() {
  }

  /** stdout is piped to the caller; stderr goes to {@code stderrFile} so a full pipe can never stall the child. */
  static Process start(Class<?> main, Path stderrFile, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(stderrFile.toFile())
        .start();
  }
}
