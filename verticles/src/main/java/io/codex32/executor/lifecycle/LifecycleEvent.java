package io.codex32.executor.lifecycle;

import io.codex32.error.Codex32Exception;
import io.codex32.executor.process.ExitStatus;

/** Something that happened to a bot, fed to {@link LifecyclePolicy} for a {@link Decision}. */
public sealed interface LifecycleEvent {

  /** An operator asked for the bot to run (its desired state is now running). */
  record OperatorStart() implements LifecycleEvent {
  }

  /** An operator asked for the bot to run again from a fresh process. */
  record OperatorRestart() implements LifecycleEvent {
  }

  /** An operator asked for the bot to stop (its desired state is now stopped). */
  record OperatorStop() implements LifecycleEvent {
  }

  /** The bot is removed from the node. */
  record OperatorRemove() implements LifecycleEvent {
  }

  /** The process was launched or adopted and the bot is running. */
  record Launched() implements LifecycleEvent {
  }

  /** The launch was refused or failed; {@code reason} says why. */
  record LaunchFailed(String reason) implements LifecycleEvent {

    public static LaunchFailed of(Throwable failure) {
      return new LaunchFailed(failure instanceof Codex32Exception e ? e.code() + ": " + e.getMessage()
          : "launch failed: " + failure.getMessage());
    }
  }

  /** The process of {@code generation} ended without being asked to; what it left behind is gone. */
  record Exited(long generation, ExitStatus exit) implements LifecycleEvent {
  }

  /** The process tree the executor stopped is gone; {@code killed}: it needed SIGKILL after {@code graceMs}. */
  record Halted(boolean killed, long graceMs) implements LifecycleEvent {
  }

  /** The process tree could not be stopped. */
  record HaltFailed(String message) implements LifecycleEvent {
  }

  /** The bot's process tree was over its quota for too many samples; {@code usage} describes it. */
  record QuotaBreached(String usage) implements LifecycleEvent {
  }

  /** The run of {@code generation} reached {@code max_runtime_s} ({@code seconds}). */
  record RanTooLong(long generation, long seconds) implements LifecycleEvent {
  }

  /** The bot sent no heartbeat within {@code heartbeat_timeout_s} ({@code timeoutSeconds}). */
  record HeartbeatMissed(long timeoutSeconds) implements LifecycleEvent {
  }

  /** The backoff before an automatic restart has passed. */
  record BackoffElapsed() implements LifecycleEvent {
  }
}
