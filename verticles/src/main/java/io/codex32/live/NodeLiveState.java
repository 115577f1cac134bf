package io.codex32.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * What each node last said about itself (labels, capacity, load, bots), for a node registry fed
 * by {@code codex32.nodes.heartbeat}. An entry lives for the {@code ttl} of its last update, so a
 * node that stops reporting drops out by itself. Writes return at once, as in {@link BotLiveState}.
 */
public interface NodeLiveState {

  /** Merges {@code fields} into the node's entry and keeps it for {@code ttl} from now. */
  void putNode(String nodeId, JsonObject fields, Duration ttl);

  /** The node's fields with its {@code node_id}, or null when it is unknown or expired. */
  Future<JsonObject> node(String nodeId);

  /** Every known, unexpired node, ordered by id. */
  Future<List<JsonObject>> nodes();

  void forgetNode(String nodeId);
}
