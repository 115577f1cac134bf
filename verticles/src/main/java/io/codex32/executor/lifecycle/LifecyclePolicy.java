package io.codex32.executor.lifecycle;

import io.codex32.bot.BotStatus;
import io.codex32.executor.lifecycle.LifecycleEvent.Exited;
import io.codex32.executor.lifecycle.LifecycleEvent.HaltFailed;
import io.codex32.executor.lifecycle.LifecycleEvent.Halted;
import io.codex32.executor.lifecycle.LifecycleEvent.HeartbeatMissed;
import io.codex32.executor.lifecycle.LifecycleEvent.LaunchFailed;
import io.codex32.executor.lifecycle.LifecycleEvent.Launched;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorRemove;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorRestart;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorStop;
import io.codex32.executor.lifecycle.LifecycleEvent.QuotaBreached;
import io.codex32.executor.lifecycle.LifecycleEvent.RanTooLong;
import io.codex32.executor.process.ExitStatus;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The one place that decides what happens to a bot: after an exit, a stop, a quota breach, a run
 * too long, a missed heartbeat, the end of a backoff, and on every operator request in every state.
 * A pure function of the {@link Situation} and the {@link LifecycleEvent} (time comes in the
 * situation; {@code random} only jitters the backoff); the executor carries out the {@link Decision}.
 */
public final class LifecyclePolicy {

  public static final String QUOTA_EXCEEDED = "quota_exceeded";
  public static final String MAX_RUNTIME_EXCEEDED = "max_runtime_exceeded";
  public static final String HEARTBEAT_TIMEOUT = "heartbeat_timeout";
  /** Runs shorter than this (or than backoff_max_ms) count as part of a crash loop. */
  public static final long STABLE_RUN_MS = 10_000;
  static final String STOPPED_BY_OPERATOR = "stopped by operator";

  private final DoubleSupplier random;

  /** {@code random}: values in [0, 1) that jitter each backoff. */
  public LifecyclePolicy(DoubleSupplier random) {
    this.random = random;
  }

  public Decision decide(Situation s, LifecycleEvent event) {
    if (event instanceof LifecycleEvent.OperatorStart) {
      return start(s);
    } else if (event instanceof OperatorRestart) {
      return s.status() == BotStatus.RUNNING ? new Decision.Halt("restarting on request", null) : start(s);
    } else if (event instanceof OperatorStop) {
      return halt(s, STOPPED_BY_OPERATOR);
    } else if (event instanceof OperatorRemove) {
      return halt(s, "removed");
    } else if (event instanceof Launched) {
      // stopped while it was starting
      return s.wantRunning() ? Decision.NONE : halt(s, STOPPED_BY_OPERATOR);
    } else if (event instanceof LaunchFailed failed) {
      return new Decision.Settle(BotStatus.FAILED, failed.reason());
    } else if (event instanceof Exited exited) {
      return exited.generation() == s.generation() && running(s) ? afterExit(s, exited.exit()) : Decision.NONE;
    } else if (event instanceof Halted halted) {
      return s.status() == BotStatus.STOPPING ? afterHalt(s, halted) : Decision.NONE;
    } else if (event instanceof HaltFailed failed) {
      return new Decision.Settle(BotStatus.FAILED, "could not stop: " + failed.message());
    } else if (event instanceof QuotaBreached quota) {
      return running(s) ? new Decision.Halt(QUOTA_EXCEEDED + ": " + quota.usage(), QUOTA_EXCEEDED) : Decision.NONE;
    } else if (event instanceof RanTooLong ran) {
      return ran.generation() == s.generation() && running(s)
          ? new Decision.Halt(MAX_RUNTIME_EXCEEDED + ": ran " + ran.seconds() + " s", MAX_RUNTIME_EXCEEDED) : Decision.NONE;
    } else if (event instanceof HeartbeatMissed missed) {
      return running(s)
          ? new Decision.Halt(HEARTBEAT_TIMEOUT + ": no heartbeat for " + missed.timeoutSeconds() + " s", HEARTBEAT_TIMEOUT)
          : Decision.NONE;
    }
    // the only event left: BackoffElapsed
    return s.status() == BotStatus.RESTARTING ? new Decision.Launch(null, false) : Decision.NONE;
  }

  /** A stopped or failed bot starts with a fresh restart budget; one waiting out a backoff starts at once. */
  private static Decision start(Situation s) {
    return switch (s.status()) {
      case STOPPED, FAILED -> new Decision.Launch(null, true);
      case RESTARTING -> new Decision.Launch(null, false);
      default -> Decision.NONE;
    };
  }

  /** A running bot is stopped; one waiting to restart, or failed, is stopped at once. */
  private static Decision halt(Situation s, String why) {
    return switch (s.status()) {
      case RUNNING -> new Decision.Halt(why, null);
      case RESTARTING, FAILED -> new Decision.Settle(BotStatus.STOPPED, why);
      default -> Decision.NONE;
    };
  }

  private Decision afterExit(Situation s, ExitStatus exit) {
    // a stop the executor made itself (quota, run too long) is a failed run whatever the exit code
    return afterRun(s, s.stopCause() != null || !exit.success(), describe(exit), true);
  }

  /**
   * After a stop, the desired state decides; a stop the executor made itself (quota breach, run too
   * long, missed heartbeat) counts as a failed run and goes through the restart policy.
   */
  private Decision afterHalt(Situation s, Halted halted) {
    String how = halted.killed() ? " (killed after " + halted.graceMs() + " ms)" : "";
    if (!s.wantRunning()) {
      return new Decision.Settle(BotStatus.STOPPED, s.reason() + how);
    }
    if (s.stopCause() != null) {
      return afterRun(s, true, s.stopCause() + how, false);
    }
    return new Decision.Launch(null, false);
  }

  /**
   * Restart (policy and budget allow it), stop (a clean end nobody restarts) or fail. {@code what}
   * describes how the run ended; {@code explainSpentBudget}: a spent budget is the failure's reason.
   */
  private Decision afterRun(Situation s, boolean failed, String what, boolean explainSpentBudget) {
    boolean wanted = switch (s.policy().policy()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case ON_FAILURE -> failed;
    };
    if (!wanted) {
      return new Decision.Settle(failed ? BotStatus.FAILED : BotStatus.STOPPED, what);
    }
    RestartBudget budget = s.budget().at(s.now());
    if (budget.spent()) {
      return new Decision.Settle(BotStatus.FAILED, explainSpentBudget
          ? "restart limit reached: " + budget.used() + " restarts within " + s.policy().windowSeconds() + " s" : what);
    }
    // a run that lasted was not part of a crash loop: back off from the start again
    int attempt = stableRun(s) ? 0 : s.attempt();
    long delay = Backoff.delayMs(s.policy(), attempt, random.getAsDouble());
    return new Decision.RestartLater(delay, what + "; restarting in " + delay + " ms", budget.plus(s.now()), attempt + 1);
  }

  /** A run at least this long resets the backoff. */
  private static boolean stableRun(Situation s) {
    Duration stable = Duration.ofMillis(Math.max(STABLE_RUN_MS, s.policy().backoffMaxMs()));
    return s.runStartedAt() != null && Duration.between(s.runStartedAt(), s.now()).compareTo(stable) >= 0;
  }

  private static boolean running(Situation s) {
    return s.status() == BotStatus.RUNNING;
  }

  static String describe(ExitStatus exit) {
    if (exit.signal() != null) {
      return "killed by signal " + exit.signal();
    }
    return exit.code() == null ? "exited" : "exited with code " + exit.code();
  }
}
