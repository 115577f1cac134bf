package io.codex32.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, or that moves by a fixed step on every reading. */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final Duration step;

  public MutableClock(Instant start) {
    this(start, Duration.ZERO);
  }

  private MutableClock(Instant start, Duration step) {
    this.now = new AtomicReference<>(start);
    this.step = step;
  }

  /** Advances by {@code step} after every reading, so each reader gets a distinct, predictable time. */
  public static MutableClock stepping(Instant start, Duration step) {
    return new MutableClock(start, step);
  }

  /** Starts at the real current second, so tokens look plausible to anything reading them. */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.getAndUpdate(instant -> instant.plus(step));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }
}
