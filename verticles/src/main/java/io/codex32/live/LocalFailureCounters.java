package io.codex32.live;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure counters in this process's memory. Thread-safe. Memory is bounded: beyond
 * {@code maxEntries} keys, expired and then unlocked entries are evicted, and while only locked
 * entries remain new keys go untracked (logged) rather than growing the map.
 */
public final class LocalFailureCounters implements FailureCounters {

  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(LocalFailureCounters.class);

  private final Clock clock;
  private final int maxEntries;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public LocalFailureCounters(Clock clock) {
    this(clock, DEFAULT_MAX_ENTRIES);
  }

  public LocalFailureCounters(Clock clock, int maxEntries) {
    if (maxEntries < 2) {
      throw new IllegalArgumentException("failure counters need room for at least 2 keys, was " + maxEntries);
    }
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public void fail(String key, int limit, Duration window) {
    Instant now = clock.instant();
    if (!entries.containsKey(key) && !makeRoom(now)) {
      LOG.warn("failure counters full ({} keys, all locked): not tracking {}", entries.size(), key);
      return;
    }
    entries.compute(key, (k, entry) -> {
      Entry current = entry == null || entry.expiredAt(now) ? Entry.first(now, window) : entry;
      return current.failed(now, limit, window);
    });
  }

  @Override
  public void reset(String key) {
    entries.remove(key);
  }

  @Override
  public Future<Duration> locked(List<String> keys) {
    return Future.succeededFuture(lockedNow(keys));
  }

  Duration lockedNow(List<String> keys) {
    Instant now = clock.instant();
    Duration longest = Duration.ZERO;
    for (String key : keys) {
      Entry entry = entries.get(key);
      if (entry != null && entry.lockedAt(now)) {
        Duration left = Duration.between(now, entry.lockedUntil());
        longest = left.compareTo(longest) > 0 ? left : longest;
      }
    }
    return longest;
  }

  /** For tests and metrics. */
  public int trackedKeys() {
    return entries.size();
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
