package io.codex32.nodes;

import io.codex32.bus.Contract;
import io.codex32.bus.NodeEvent;
import io.codex32.bus.NodeHeartbeat;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A node as the gateway last heard of it: its latest heartbeat, when that was, and whether it counts as online. */
public record NodeView(NodeHeartbeat heartbeat, Instant lastSeen, boolean online) {

  public String id() {
    return heartbeat.id();
  }

  /** What the registry publishes on {@code codex32.nodes.events} when the view changes. */
  public NodeEvent toEvent() {
    return new NodeEvent(heartbeat, online, lastSeen);
  }

  /** The API shape: the heartbeat's fields plus online and last_seen (the event's JSON, without the bus's contract version). */
  public JsonObject toJson() {
    return Contract.withoutVersion(toEvent().toJson());
  }
}
