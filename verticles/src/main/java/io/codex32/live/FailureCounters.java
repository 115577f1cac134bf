package io.codex32.live;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Counts failures per key in a window that starts at the key's first failure; the failure that
 * reaches the limit locks the key for one full window (later failures neither extend nor shorten
 * it). What the login throttle needs; writes return at once, as in {@link BotLiveState}.
 */
public interface FailureCounters {

  void fail(String key, int limit, Duration window);

  /** Forgets the key's failures and lock. */
  void reset(String key);

  /** How much longer the most locked of {@code keys} stays locked; zero when none is. */
  Future<Duration> locked(List<String> keys);
}
