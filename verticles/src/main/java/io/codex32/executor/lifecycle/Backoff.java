package io.codex32.executor.lifecycle;

import io.codex32.bot.RestartPolicy;

/** Exponential backoff with ±20 % jitter, so bots that crash together do not restart in lockstep. */
final class Backoff {

  static final double JITTER = 0.2;

  private Backoff() {
  }

  /** Delay before restart number {@code attempt} (0 for the first restart after a run); {@code random} in [0, 1). */
  static long delayMs(RestartPolicy policy, int attempt, double random) {
    double base = policy.backoffInitialMs() * Math.pow(policy.backoffMultiplier(), attempt);
    double capped = Math.min(policy.backoffMaxMs(), base);
    double jittered = capped * (1 - JITTER + 2 * JITTER * random);
    return Math.max(0, Math.round(Math.min(policy.backoffMaxMs(), jittered)));
  }
}
