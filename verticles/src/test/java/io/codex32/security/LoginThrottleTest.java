package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.codex32.error.Codex32Exception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoginThrottleTest {

  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final MutableClock clock = MutableClock.startingNow();
  private final LoginThrottle throttle = new LoginThrottle(clock, 3, WINDOW);

  @Test
  void locksUsernameAfterMaxFailuresWithRetryAfterAndUnlocksAfterWindow() {
    for (int i = 0; i < 3; i++) {
      assertThatCode(() -> throttle.check("alice", "10.0.0.1")).doesNotThrowAnyException();
      throttle.recordFailure("alice", "10.0.0." + i);
    }

    Codex32Exception locked = catchThrowableOfType(() -> throttle.check("alice", "10.0.0.9"), Codex32Exception.class);
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("too_many_requests");
    assertThat(locked.retryAfterSeconds()).isEqualTo(WINDOW.toSeconds());
    assertThatCode(() -> throttle.check("bob", "10.0.0.9")).as("other users unaffected").doesNotThrowAnyException();

    clock.advance(WINDOW.minusSeconds(60));
    assertThat(catchThrowableOfType(() -> throttle.check("alice", "10.0.0.9"), Codex32Exception.class).retryAfterSeconds())
        .isEqualTo(60);

    clock.advance(Duration.ofSeconds(60));
    assertThatCode(() -> throttle.check("alice", "10.0.0.9")).doesNotThrowAnyException();
  }

  @Test
  void failuresOlderThanTheWindowDoNotAccumulate() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    clock.advance(WINDOW);
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");

    assertThatCode(() -> throttle.check("alice", "10.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void successClearsTheUsernameCounter() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordSuccess("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");

    assertThatCode(() -> throttle.check("alice", "10.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void sourceAddressCyclingUsernamesIsLockedAtFourTimesTheLimit() {
    for (int i = 0; i < 11; i++) {
      throttle.recordFailure("user" + i, "203.0.113.7");
    }
    assertThatCode(() -> throttle.check("fresh", "203.0.113.7")).doesNotThrowAnyException();

    throttle.recordFailure("user11", "203.0.113.7");

    Codex32Exception locked = catchThrowableOfType(() -> throttle.check("fresh", "203.0.113.7"), Codex32Exception.class);
    assertThat(locked.status()).isEqualTo(429);
    assertThatCode(() -> throttle.check("fresh", "198.51.100.1")).doesNotThrowAnyException();
  }

  @Test
  void memoryStaysBoundedWhenAttackerCyclesUsernames() {
    LoginThrottle small = new LoginThrottle(clock, 3, WINDOW, 50);

    for (int i = 0; i < 10_000; i++) {
      small.recordFailure("user" + i, "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256));
      assertThat(small.trackedKeys()).isLessThanOrEqualTo(50);
    }
  }

  @Test
  void lockedEntriesSurviveEvictionOfUnlockedOnes() {
    LoginThrottle small = new LoginThrottle(clock, 3, WINDOW, 50);
    for (int i = 0; i < 3; i++) {
      small.recordFailure("victim", "10.0.0.1");
    }

    for (int i = 0; i < 1_000; i++) {
      small.recordFailure("noise" + i, "10.1." + (i / 256) + "." + (i % 256));
    }

    assertThat(catchThrowableOfType(() -> small.check("victim", "192.0.2.1"), Codex32Exception.class).status()).isEqualTo(429);
  }

  @Test
  void concurrentFailuresAreAllCounted() throws Exception {
    LoginThrottle exact = new LoginThrottle(clock, 800, WINDOW);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 100; i++) {
            // 799 in total: one short of the limit
            if (thread != 0 || i != 0) {
              exact.recordFailure("alice", "10.0.0." + thread);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThatCode(() -> exact.check("alice", "10.0.0.99")).doesNotThrowAnyException();
    exact.recordFailure("alice", "10.0.0.99");
    assertThat(catchThrowableOfType(() -> exact.check("alice", "10.0.0.99"), Codex32Exception.class).status()).isEqualTo(429);
  }
}
