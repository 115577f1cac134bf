package io.codex32.executor;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The recent resource history of each bot: a bounded ring of {@link MetricSample} per bot, so that
 * {@code GET /api/v1/bots/{id}/metrics} costs a copy and memory stays fixed however long a bot runs.
 * Thread-safe: the sampler adds from its worker thread while HTTP handlers read.
 */
public final class MetricsHistory {

  /** Ten minutes at the default sample interval of one second. */
  public static final int DEFAULT_CAPACITY = 600;

  private final int capacity;
  private final ConcurrentMap<String, BoundedRing<MetricSample>> rings = new ConcurrentHashMap<>();

  public MetricsHistory() {
    this(DEFAULT_CAPACITY);
  }

  public MetricsHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("metrics history capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  public void add(String botId, MetricSample sample) {
    rings.computeIfAbsent(botId, id -> new BoundedRing<>(capacity)).add(sample);
  }

  /** The newest {@code n} samples of the bot, oldest first; empty for an unknown bot. */
  public List<MetricSample> recent(String botId, int n) {
    BoundedRing<MetricSample> ring = rings.get(botId);
    return ring == null ? List.of() : ring.newest(n, sample -> true);
  }

  public Optional<MetricSample> latest(String botId) {
    BoundedRing<MetricSample> ring = rings.get(botId);
    return Optional.ofNullable(ring == null ? null : ring.newest());
  }

  /** Forgets the bot's history (bot deleted, or a fresh run that should not show the old one). */
  public void clear(String botId) {
    rings.remove(botId);
  }
}
