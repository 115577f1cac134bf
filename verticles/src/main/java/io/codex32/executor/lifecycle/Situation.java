package io.codex32.executor.lifecycle;

import io.codex32.bot.BotStatus;
import io.codex32.bot.RestartPolicy;
import java.time.Instant;

/**
 * What {@link LifecyclePolicy} knows of a bot when an event arrives. {@code wantRunning}: the
 * desired state; {@code generation}: of the current process; {@code reason}: of the current status;
 * {@code stopCause}: why the executor stopped the current run itself (null: it did not);
 * {@code runStartedAt}: when the current process started (null when there is none);
 * {@code attempt}: backoff steps taken since the last stable run; {@code now}: the executor's clock.
 */
public record Situation(BotStatus status, boolean wantRunning, long generation, String reason, String stopCause,
    Instant runStartedAt, RestartPolicy policy, RestartBudget budget, int attempt, Instant now) {
}
