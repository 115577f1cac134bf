package io.codex32.security;

import io.codex32.error.Codex32Exception;
import io.codex32.live.FailureCounters;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Limits failed logins per username and per source address, counted in the live state's
 * {@link FailureCounters} (shared by all gateway instances when live state is in Redis).
 *
 * <p>Failures are counted in a window that starts at the first failure. Reaching the limit locks
 * the key for one full window. A source address may fail {@value #IP_FACTOR} times as often as a
 * username, since several people may share it (NAT).
 */
public final class LoginThrottle {

  public static final int IP_FACTOR = 4;

  /** Longer usernames are never valid; cutting keys bounds the memory of each entry too. */
  private static final int MAX_KEY_LENGTH = 64;

  private final FailureCounters counters;
  private final int maxFailures;
  private final Duration window;

  public LoginThrottle(FailureCounters counters, int maxFailures, Duration window) {
    if (maxFailures < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("login throttle needs maxFailures >= 1 and a positive window, was "
          + maxFailures + " / " + window);
    }
    this.counters = counters;
    this.maxFailures = maxFailures;
    this.window = window;
  }

  /** Fails with 429 {@code too_many_requests} and a retry-after when either key is locked out. */
  public Future<Void> check(String username, String sourceIp) {
    return counters.locked(List.of(userKey(username), ipKey(sourceIp))).compose(locked -> {
      if (locked.isZero()) {
        return Future.succeededFuture();
      }
      long seconds = (locked.toMillis() + 999) / 1000;
      // the same message for both keys: it must not tell an attacker which one tripped
      return Future.failedFuture(Codex32Exception.tooManyRequests("too many failed logins; try again in " + seconds + " s", seconds));
    });
  }

  public void recordFailure(String username, String sourceIp) {
    counters.fail(userKey(username), maxFailures, window);
    counters.fail(ipKey(sourceIp), maxFailures * IP_FACTOR, window);
  }

  public void recordSuccess(String username, String sourceIp) {
    counters.reset(userKey(username));
  }

  private static String userKey(String username) {
    return "u:" + truncate(username);
  }

  private static String ipKey(String sourceIp) {
    return "ip:" + truncate(sourceIp);
  }

  private static String truncate(String value) {
    if (value == null) {
      return "";
    }
    return value.length() > MAX_KEY_LENGTH ? value.substring(0, MAX_KEY_LENGTH) : value;
  }
}
