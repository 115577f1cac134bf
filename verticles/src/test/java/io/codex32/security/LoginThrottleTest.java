package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.live.LocalFailureCounters;
import io.codex32.test.Await;
import io.codex32.test.MutableClock;
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
  private final LoginThrottle throttle = new LoginThrottle(new LocalFailureCounters(clock), 3, WINDOW);

  @Test
  void locksUsernameAfterMaxFailuresWithRetryAfterAndUnlocksAfterWindow() {
    for (int i = 0; i < 3; i++) {
      allowed(throttle, "alice", "10.0.0.1");
      throttle.recordFailure("alice", "10.0.0." + i);
    }

    Codex32Exception locked = refused(throttle, "alice", "10.0.0.9");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("too_many_requests");
    assertThat(locked.retryAfterSeconds()).isEqualTo(WINDOW.toSeconds());
    allowed(throttle, "bob", "10.0.0.9");

    clock.advance(WINDOW.minusSeconds(60));
    assertThat(refused(throttle, "alice", "10.0.0.9").retryAfterSeconds())
        .isEqualTo(60);

    clock.advance(Duration.ofSeconds(60));
    allowed(throttle, "alice", "10.0.0.9");
  }

  @Test
  void failuresOlderThanTheWindowDoNotAccumulate() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    clock.advance(WINDOW);
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");

    allowed(throttle, "alice", "10.0.0.1");
  }

  @Test
  void successClearsTheUsernameCounter() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordSuccess("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");

    allowed(throttle, "alice", "10.0.0.1");
  }

  @Test
  void sourceAddressCyclingUsernamesIsLockedAtFourTimesTheLimit() {
    for (int i = 0; i < 11; i++) {
      throttle.recordFailure("user" + i, "203.0.113.7");
    }
    allowed(throttle, "fresh", "203.0.113.7");

    throttle.recordFailure("user11", "203.0.113.7");

    Codex32Exception locked = refused(throttle, "fresh", "203.0.113.7");
    assertThat(locked.status()).isEqualTo(429);
    allowed(throttle, "fresh", "198.51.100.1");
  }

  @Test
  void memoryStaysBoundedWhenAttackerCyclesUsernames() {
    LocalFailureCounters counters = new LocalFailureCounters(clock, 50);
    LoginThrottle small = new LoginThrottle(counters, 3, WINDOW);

    for (int i = 0; i < 10_000; i++) {
      small.recordFailure("user" + i, "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256));
      assertThat(counters.trackedKeys()).isLessThanOrEqualTo(50);
    }
  }

  @Test
  void lockedEntriesSurviveEvictionOfUnlockedOnes() {
    LoginThrottle small = new LoginThrottle(new LocalFailureCounters(clock, 50), 3, WINDOW);
    for (int i = 0; i < 3; i++) {
      small.recordFailure("victim", "10.0.0.1");
    }

    for (int i = 0; i < 1_000; i++) {
      small.recordFailure("noise" + i, "10.1." + (i / 256) + "." + (i % 256));
    }

    assertThat(refused(small, "victim", "192.0.2.1").status()).isEqualTo(429);
  }

  @Test
  void concurrentFailuresAreAllCounted() throws Exception {
    LoginThrottle exact = new LoginThrottle(new LocalFailureCounters(clock), 800, WINDOW);
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

    allowed(exact, "alice", "10.0.0.99");
    exact.recordFailure("alice", "10.0.0.99");
    assertThat(refused(exact, "alice", "10.0.0.99").status()).isEqualTo(429);
  }

  private static void allowed(LoginThrottle throttle, String username, String ip) {
    Await.result(throttle.check(username, ip));
  }

  private static Codex32Exception refused(LoginThrottle throttle, String username, String ip) {
    return Await.failure(throttle.check(username, ip));
  }
}
