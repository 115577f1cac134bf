package io.codex32.executor.process;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** The executor's handle on a bot's process; see {@link RunningProcess}. */
record BotProcess(String botId, long pid, Instant startedAt, boolean adopted, CompletableFuture<ExitStatus> onExit)
    implements RunningProcess {

  /** Exit values above this are how the JDK reports death by a signal: 128 + the signal number. */
  private static final int SIGNAL_BASE = 128;

  static BotProcess launched(String botId, Process process, Instant startedAt) {
    return new BotProcess(botId, process.pid(), startedAt, false, process.onExit().thenApply(p -> exitStatus(p.exitValue())));
  }

  static BotProcess adopted(String botId, long pid, Instant startedAt, CompletableFuture<ExitStatus> onExit) {
    return new BotProcess(botId, pid, startedAt, true, onExit);
  }

  /**
   * The JDK folds "killed by signal n" into exit value 128 + n, so a process that itself exits with
   * such a value reads the same; the code is kept as it came so nothing is lost.
   */
  static ExitStatus exitStatus(int exitValue) {
    return exitValue > SIGNAL_BASE ? new ExitStatus(exitValue, exitValue - SIGNAL_BASE) : new ExitStatus(exitValue, null);
  }
}
