package io.codex32.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The newest {@code capacity} history points of one bot, oldest evicted first. A point not newer
 * than the newest kept is ignored (the same sample reported twice, as in Redis). Thread-safe.
 */
final class MetricsRing {

  private final int capacity;
  private final ArrayDeque<JsonObject> points;

  MetricsRing(int capacity) {
    this.capacity = capacity;
    this.points = new ArrayDeque<>(Math.min(capacity, 64));
  }

  synchronized void add(JsonObject point) {
    JsonObject newest = points.peekLast();
    if (newest != null && !Instant.parse(point.getString("time")).isAfter(Instant.parse(newest.getString("time")))) {
      return;
    }
    if (points.size() == capacity) {
      points.pollFirst();
    }
    points.addLast(point);
  }

  /** Up to {@code n} newest points, oldest first. */
  synchronized JsonArray newest(int n) {
    int skip = Math.max(0, points.size() - Math.max(n, 0));
    JsonArray items = new JsonArray();
    Iterator<JsonObject> it = points.iterator();
    for (int i = 0; it.hasNext(); i++) {
      JsonObject point = it.next();
      if (i >= skip) {
        items.add(point.copy());
      }
    }
    return items;
  }
}
