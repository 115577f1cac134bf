package io.codex32.executor.process;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A bot's live process: launched by this executor (then {@code adopted} is false) or found still
 * running from a previous executor (verified by pid and start time). The process leads its own
 * process group (pgid = pid), so the whole tree can be signalled at once.
 */
public interface RunningProcess {

  String botId();

  long pid();

  Instant startedAt();

  boolean adopted();

  /** Completes when the process has ended. */
  CompletableFuture<ExitStatus> onExit();
}
