package io.codex32.devices;

import io.codex32.store.Document;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's persistent MQTT session as stored: its subscriptions (topic filter → granted QoS),
 * the packet ids of the commands sent but not yet acknowledged (command id → packet id, re-sent
 * with those ids on resume), how long it outlives its connection, and when it expires ({@code null}
 * while a connection holds it). {@code connectionId} names the connection that holds or last held
 * it; {@code revision} is the store's, so that a connection taken over cannot overwrite its successor.
 */
public record SavedSession(String deviceId, String connectionId, long expirySeconds, Instant expiresAt,
    Map<String, Integer> subscriptions, Map<String, Integer> inflight, long revision) {

  public SavedSession {
    subscriptions = Map.copyOf(subscriptions);
    inflight = Map.copyOf(inflight);
  }

  /** Whether the session is over at {@code now}: it then counts as absent. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public SavedSession withRevision(long newRevision) {
    return new SavedSession(deviceId, connectionId, expirySeconds, expiresAt, subscriptions, inflight, newRevision);
  }

  static SavedSession fromDocument(Document doc) {
    JsonObject body = doc.body();
    String expires = body.getString("expires_at");
    return new SavedSession(doc.id(), body.getString("connection_id"), body.getLong("expiry_s", 0L),
        expires == null ? null : Instant.parse(expires), ints(body.getJsonObject("subscriptions")), ints(body.getJsonObject("inflight")),
        doc.revision());
  }

  JsonObject toDocument() {
    return new JsonObject()
        .put("device_id", deviceId)
        .put("connection_id", connectionId)
        .put("expiry_s", expirySeconds)
        .put("expires_at", expiresAt == null ? null : expiresAt.toString())
        .put("subscriptions", new JsonObject(new LinkedHashMap<>(subscriptions)))
        .put("inflight", new JsonObject(new LinkedHashMap<>(inflight)));
  }

  private static Map<String, Integer> ints(JsonObject json) {
    Map<String, Integer> map = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> map.put(e.getKey(), ((Number) e.getValue()).intValue()));
    }
    return map;
  }
}
