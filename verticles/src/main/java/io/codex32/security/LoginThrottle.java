package io.codex32.security;

import io.codex32.error.Codex32Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits failed logins per username and per source address. Thread-safe.
 *
 * <p>Failures are counted in a window that starts at the first failure. Reaching the limit locks
 * the key for one full window. A source address may fail {@value #IP_FACTOR} times as often as a
 * username, since several people may share it (NAT). Memory is bounded: beyond
 * {@link #DEFAULT_MAX_ENTRIES} keys, expired and then unlocked entries are evicted, and while only
 * locked entries remain new keys go untracked (logged) rather than growing the map.
 */
public final class LoginThrottle {

  public static final int IP_FACTOR = 4;
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  /** Longer usernames are never valid; cutting keys bounds the memory of each entry too. */
  private static final int MAX_KEY_LENGTH = 64;

  private final Clock clock;
  private final int maxFailures;
  private final Duration window;
  private final int maxEntries;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock, int maxFailures, Duration window) {
    this(clock, maxFailures, window, DEFAULT_MAX_ENTRIES);
  }

  LoginThrottle(Clock clock, int maxFailures, Duration window, int maxEntries) {
    if (maxFailures < 1 || window.isNegative() || window.isZero() || maxEntries < 2) {
      throw new IllegalArgumentException("login throttle needs maxFailures >= 1 and a positive window, was "
          + maxFailures + " / " + window);
    }
    this.clock = clock;
    this.maxFailures = maxFailures;
    this.window = window;
    this.maxEntries = maxEntries;
  }

  /** Throws 429 {@code too_many_requests} with a retry-after when either key is locked out. */
  public void check(String username, String sourceIp) {
    Instant now = clock.instant();
    Instant lockedUntil = later(lockedUntil(userKey(username), now), lockedUntil(ipKey(sourceIp), now));
    if (lockedUntil != null) {
      long millis = Duration.between(now, lockedUntil).toMillis();
      long seconds = (millis + 999) / 1000;
      // the same message for both keys: it must not tell an attacker which one tripped
      throw Codex32Exception.tooManyRequests("too many failed logins; try again in " + seconds + " s", seconds);
    }
  }

  public void recordFailure(String username, String sourceIp) {
    Instant now = clock.instant();
    fail(userKey(username), maxFailures, now);
    fail(ipKey(sourceIp), maxFailures * IP_FACTOR, now);
  }

  public void recordSuccess(String username, String sourceIp) {
    entries.remove(userKey(username));
  }

  /** For tests and metrics. */
  int trackedKeys() {
    return entries.size();
  }

  private Instant lockedUntil(String key, Instant now) {
    Entry entry = entries.get(key);
    return entry != null && entry.lockedAt(now) ? entry.lockedUntil() : null;
  }

  private void fail(String key, int limit, Instant now) {
    if (!entries.containsKey(key) && !makeRoom(now)) {
      LOG.warn("login throttle full ({} keys, all locked): not tracking {}", entries.size(), key);
      return;
    }
    entries.compute(key, (k, entry) -> {
      Entry current = entry == null || entry.expiredAt(now) ? Entry.first(now, window) : entry;
      return current.failed(now, limit, window);
    });
  }

  /** {@code true} when there is space for one more key. */
  private boolean makeRoom(Instant now) {
    if (entries.size() < maxEntries) {
      return true;
    }
    entries.values().removeIf(entry -> entry.expiredAt(now));
    if (entries.size() >= maxEntries) {
      // an attacker cycling names makes many one-failure entries; they carry little and go first
      entries.values().removeIf(entry -> !entry.lockedAt(now));
    }
    return entries.size() < maxEntries;
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

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  /** Immutable, replaced atomically through {@link ConcurrentHashMap#compute}. */
  private record Entry(int failures, Instant windowEnd, Instant lockedUntil) {

    static Entry first(Instant now, Duration window) {
      return new Entry(0, now.plus(window), null);
    }

    Entry failed(Instant now, int limit, Duration window) {
      int count = failures + 1;
      Instant lock = lockedUntil != null ? lockedUntil : count >= limit ? now.plus(window) : null;
      return new Entry(count, windowEnd, lock);
    }

    boolean lockedAt(Instant now) {
      return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /** Neither counting nor locking any more. */
    boolean expiredAt(Instant now) {
      return !now.isBefore(lockedUntil != null ? lockedUntil : windowEnd);
    }
  }
}
