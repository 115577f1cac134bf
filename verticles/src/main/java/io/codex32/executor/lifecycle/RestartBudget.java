package io.codex32.executor.lifecycle;

import io.codex32.bot.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code max} automatic restarts within a sliding window; beyond that the bot is failed.
 * Immutable: {@code restarts} are the times of the restarts taken, oldest first.
 */
public record RestartBudget(int max, Duration window, List<Instant> restarts) {

  public RestartBudget {
    restarts = List.copyOf(restarts);
  }

  /** A full budget for {@code policy}. */
  public static RestartBudget of(RestartPolicy policy) {
    return new RestartBudget(policy.maxRestarts(), Duration.ofSeconds(policy.windowSeconds()), List.of());
  }

  /** The restarts still inside the window at {@code now}. */
  RestartBudget at(Instant now) {
    Instant start = now.minus(window);
    return new RestartBudget(max, window, restarts.stream().filter(restart -> !restart.isBefore(start)).toList());
  }

  boolean spent() {
    return restarts.size() >= max;
  }

  /** The budget after a restart at {@code now}. */
  RestartBudget plus(Instant now) {
    List<Instant> taken = new ArrayList<>(restarts);
    taken.add(now);
    return new RestartBudget(max, window, taken);
  }

  /** How many restarts the window holds. */
  int used() {
    return restarts.size();
  }

  public RestartBudget reset() {
    return new RestartBudget(max, window, List.of());
  }
}
