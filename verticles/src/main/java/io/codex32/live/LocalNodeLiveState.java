package io.codex32.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Node live state in this process's memory; expired entries are dropped when met. Thread-safe. */
public final class LocalNodeLiveState implements NodeLiveState {

  private final Clock clock;
  private final Map<String, Entry> nodes = new ConcurrentHashMap<>();

  public LocalNodeLiveState(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void putNode(String nodeId, JsonObject fields, Duration ttl) {
    Instant now = clock.instant();
    nodes.compute(nodeId, (id, current) -> {
      JsonObject base = current == null || current.expiredAt(now) ? new JsonObject() : current.fields();
      return new Entry(LiveFields.merged(base, fields), now.plus(ttl));
    });
  }

  @Override
  public Future<JsonObject> node(String nodeId) {
    return Future.succeededFuture(nodeNow(nodeId));
  }

  @Override
  public Future<List<JsonObject>> nodes() {
    return Future.succeededFuture(nodesNow());
  }

  @Override
  public void forgetNode(String nodeId) {
    nodes.remove(nodeId);
  }

  JsonObject nodeNow(String nodeId) {
    Entry entry = nodes.get(nodeId);
    if (entry == null || entry.expiredAt(clock.instant())) {
      return null;
    }
    return entry.fields().copy().put("node_id", nodeId);
  }

  List<JsonObject> nodesNow() {
    Instant now = clock.instant();
    nodes.values().removeIf(entry -> entry.expiredAt(now));
    return nodes.keySet().stream().sorted().map(this::nodeNow).filter(Objects::nonNull).toList();
  }

  /** Every unexpired node with the time left, to write back to a shared store that lost them. */
  Map<String, Entry> entries() {
    Instant now = clock.instant();
    Map<String, Entry> live = new HashMap<>(nodes);
    live.values().removeIf(entry -> entry.expiredAt(now));
    return live;
  }

  Clock clock() {
    return clock;
  }

  record Entry(JsonObject fields, Instant expiresAt) {

    boolean expiredAt(Instant now) {
      return !now.isBefore(expiresAt);
    }
  }
}
