package io.codex32.executor.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.BotSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ProcessLauncher} per test on the test's data directory, and the bots it launched,
 * stopped with their whole group after the test so that a failed test leaves nothing running.
 * Register it as a {@code @RegisterExtension} field.
 */
final class LauncherFixture implements AfterEachCallback {

  private final Supplier<Path> dataDir;
  private final boolean failOnEscapes;
  private final List<RunningProcess> launched = new ArrayList<>();
  private ProcessLauncher launcher;

  private LauncherFixture(Supplier<Path> dataDir, boolean failOnEscapes) {
    this.dataDir = dataDir;
    this.failOnEscapes = failOnEscapes;
  }

  /** {@code dataDir} is read at the first launch, once JUnit has set the test's {@code @TempDir}. */
  static LauncherFixture on(Supplier<Path> dataDir) {
    return new LauncherFixture(dataDir, false);
  }

  /** As {@link #on}; also kills, and fails the test over, any process of a bot that escaped its group. */
  static LauncherFixture failingOnEscapes(Supplier<Path> dataDir) {
    return new LauncherFixture(dataDir, true);
  }

  ProcessLauncher launcher() {
    if (launcher == null) {
      launcher = new ProcessLauncher(ProcFixture.settings(dataDir.get()));
    }
    return launcher;
  }

  RunningProcess launch(ProcessLauncher with, BotSpec spec, String token) {
    RunningProcess process = with.launch(spec, token);
    launched.add(process);
    return process;
  }

  RunningProcess launch(BotSpec spec, String token) {
    return launch(launcher(), spec, token);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Long> leftovers = new ArrayList<>();
    for (RunningProcess process : launched) {
      if (ProcFixture.running(process.pid())) {
        ProcessGroups.stop(process.pid(), Duration.ofMillis(200));
      }
      if (failOnEscapes) {
        List<Long> escaped = ProcFixture.runningProcessesOf(process.botId());
        escaped.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        leftovers.addAll(escaped);
      }
    }
    assertThat(leftovers).as("processes left behind").isEmpty();
  }
}
