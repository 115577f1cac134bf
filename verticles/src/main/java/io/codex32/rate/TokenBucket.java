package io.codex32.rate;

/**
 * A token bucket: {@code burst} events at once, then {@code perSecond} (one GPIO input's edges, one
 * chat socket's frames). Times are monotonic nanoseconds ({@link System#nanoTime()}). Used on one
 * context only.
 */
public final class TokenBucket {

  private static final long NANOS_PER_S = 1_000_000_000L;

  private final int burst;
  private final long nanosPerToken;
  private double tokens;
  private long refilledAt;

  public TokenBucket(int burst, int perSecond, long now) {
    this.burst = burst;
    this.nanosPerToken = NANOS_PER_S / perSecond;
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** Takes one token when there is one. */
  public boolean tryTake(long now) {
    refill(now);
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }

  /** Milliseconds until the next token (at least 1). */
  public long millisUntilNext(long now) {
    refill(now);
    long nanos = (long) Math.ceil((1 - tokens) * nanosPerToken);
    return Math.max(1, nanos / 1_000_000 + 1);
  }

  private void refill(long now) {
    tokens = Math.min(burst, tokens + (double) (now - refilledAt) / nanosPerToken);
    refilledAt = now;
  }
}
