package io.codex32.nodes;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A node as the gateway last heard of it: its latest heartbeat, when that was, and whether it counts as online. */
public record NodeView(NodeHeartbeat heartbeat, Instant lastSeen, boolean online) {

  public String id() {
    return heartbeat.id();
  }

  /** The API shape: the heartbeat's fields plus online and last_seen. */
  public JsonObject toJson() {
    JsonObject json = heartbeat.toJson().put("online", online).put("last_seen", lastSeen.toString());
    json.remove("time");
    return json;
  }
}
