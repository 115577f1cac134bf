package io.codex32.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} history points of one bot, oldest evicted first. A point not newer
 * than the newest kept is ignored (the same sample reported twice, as in Redis). Thread-safe.
 */
final class MetricsRing {

  private final int capacity;
  private final ArrayDeque<MetricPoint> points;

  MetricsRing(int capacity) {
    this.capacity = capacity;
    this.points = new ArrayDeque<>(Math.min(capacity, 64));
  }

  synchronized void add(MetricPoint point) {
    MetricPoint newest = points.peekLast();
    if (newest != null && !point.time().isAfter(newest.time())) {
      return;
    }
    if (points.size() == capacity) {
      points.pollFirst();
    }
    points.addLast(point);
  }

  /** Up to {@code n} newest points, oldest first. */
  synchronized List<MetricPoint> newest(int n) {
    List<MetricPoint> all = new ArrayList<>(points);
    return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(n, 0)), all.size()));
  }
}
