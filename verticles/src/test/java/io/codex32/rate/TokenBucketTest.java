package io.codex32.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-pin token bucket, on a clock the test moves. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TokenBucketTest {

  private static final long MS = 1_000_000;

  @Test
  void aBurstThenOneTokenPerIntervalNeverMoreThanTheBurst() {
    TokenBucket limit = new TokenBucket(3, 10, 0);
    assertThat(limit.tryTake(0)).isTrue();
    assertThat(limit.tryTake(0)).isTrue();
    assertThat(limit.tryTake(0)).isTrue();
    assertThat(limit.tryTake(0)).isFalse();
    assertThat(limit.millisUntilNext(0)).isBetween(100L, 101L);

    assertThat(limit.tryTake(99 * MS)).isFalse();
    assertThat(limit.tryTake(100 * MS)).isTrue();
    assertThat(limit.tryTake(100 * MS)).isFalse();

    long muchLater = 60_000 * MS;
    int taken = 0;
    while (limit.tryTake(muchLater)) {
      taken++;
    }
    assertThat(taken).as("a quiet minute refills the burst, not more").isEqualTo(3);
  }
}
