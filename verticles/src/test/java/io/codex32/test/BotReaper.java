package io.codex32.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends bot processes tests leave behind. A gateway leaves its bots running when it stops (a
 * restarted one adopts them), so a test that does not stop its bots would leave them burning CPU
 * for the rest of the run: every gateway data dir is remembered, and at JVM exit whatever still
 * runs in one of their {@code bots/} directories is killed. Tests may also end them at once.
 */
public final class BotReaper {

  private static final Set<Path> DATA_DIRS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DATA_DIRS.forEach(BotReaper::endBotsUnder), "test-bot-reaper"));
  }

  private BotReaper() {
  }

  static void remember(Path dataDir) {
    DATA_DIRS.add(dataDir.toAbsolutePath());
  }

  /** Kills every process whose working directory is under {@code <dataDir>/bots/}. */
  public static void endBotsUnder(Path dataDir) {
    Path bots = dataDir.toAbsolutePath().resolve("bots");
    ProcessHandle.allProcesses().filter(process -> workingDirectory(process.pid()).startsWith(bots))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static Path workingDirectory(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Path.of("/proc/" + pid);
    }
  }
}
