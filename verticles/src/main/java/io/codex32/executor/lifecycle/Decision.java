package io.codex32.executor.lifecycle;

import io.codex32.bot.BotStatus;

/** What the executor does next for a bot, as {@link LifecyclePolicy} decided it. */
public sealed interface Decision {

  /** Nothing to do (for an exit: it is stale, of an older process or of a bot no longer running). */
  Decision NONE = new Nothing();

  record Nothing() implements Decision {
  }

  /** Move to STARTING with reason {@code why} (may be null) and launch; {@code freshBudget}: first reset the restart budget and backoff. */
  record Launch(String why, boolean freshBudget) implements Decision {
  }

  /**
   * Move to STOPPING with reason {@code why} and stop the process tree (SIGTERM, grace, SIGKILL).
   * {@code cause}: why the executor stopped it itself (the run then counts as failed), null for an operator.
   */
  record Halt(String why, String cause) implements Decision {
  }

  /** Move to {@code status} (STOPPED or FAILED) with reason {@code why}; a pending restart is cancelled. */
  record Settle(BotStatus status, String why) implements Decision {
  }

  /**
   * Move to RESTARTING with reason {@code why} and launch again in {@code delayMs}; the restart
   * takes {@code budget} and the next backoff starts from {@code attempt}.
   */
  record RestartLater(long delayMs, String why, RestartBudget budget, int attempt) implements Decision {
  }
}
