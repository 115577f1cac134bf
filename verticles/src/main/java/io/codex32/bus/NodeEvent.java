package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A node as one gateway's registry sees it, published local-only on {@code codex32.nodes.events}
 * whenever it changes: the node's latest heartbeat, whether it counts as online and when it was
 * last heard of. The heartbeat's own send time is not carried: read back, it is {@code lastSeen}.
 */
public record NodeEvent(NodeHeartbeat heartbeat, boolean online, Instant lastSeen) implements BusMessage {

  private static final String ONLINE = "online";
  private static final String LAST_SEEN = "last_seen";

  @Override
  public JsonObject toJson() {
    JsonObject json = heartbeat.toJson().put(ONLINE, online).put(LAST_SEEN, lastSeen.toString());
    json.remove(NodeHeartbeat.TIME);
    return json;
  }

  public static NodeEvent fromJson(Object body) {
    Fields f = Fields.of(body);
    Instant lastSeen = f.instant(LAST_SEEN);
    return new NodeEvent(NodeHeartbeat.read(f, lastSeen), f.flag(ONLINE), lastSeen);
  }
}
