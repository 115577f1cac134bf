package io.codex32.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** At most {@code max} automatic restarts within a sliding window; beyond that the bot is failed. */
final class RestartBudget {

  private final int max;
  private final Duration window;
  private final Deque<Instant> restarts = new ArrayDeque<>();

  RestartBudget(int max, Duration window) {
    this.max = max;
    this.window = window;
  }

  /** Records a restart at {@code now} if the window still allows one. */
  boolean tryConsume(Instant now) {
    while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
      restarts.removeFirst();
    }
    if (restarts.size() >= max) {
      return false;
    }
    restarts.addLast(now);
    return true;
  }

  /** How many restarts the current window holds. */
  int used() {
    return restarts.size();
  }

  void reset() {
    restarts.clear();
  }
}
