package io.codex32.devices;

import io.codex32.store.Document;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A command for a device and where it stands: {@code queued → delivered}, or {@code queued → expired} after its TTL. */
public record DeviceCommand(String id, String deviceId, String name, Object payload, String status, Instant createdAt,
    Instant expiresAt, Instant deliveredAt) {

  public static final String QUEUED = "queued";
  public static final String DELIVERED = "delivered";
  public static final String EXPIRED = "expired";

  static DeviceCommand fromJson(JsonObject json) {
    String delivered = json.getString("delivered_at");
    return new DeviceCommand(json.getString("id"), json.getString("device_id"), json.getString("name"), json.getValue("payload"),
        json.getString("status"), Instant.parse(json.getString("created_at")), Instant.parse(json.getString("expires_at")),
        delivered == null ? null : Instant.parse(delivered));
  }

  static DeviceCommand fromDocument(Document doc) {
    return fromJson(doc.body());
  }

  public static DeviceCommand fromMessage(JsonObject json) {
    return fromJson(json);
  }

  /** Queued past its expiry counts as expired even before anyone wrote it down. */
  public String statusAt(Instant now) {
    return QUEUED.equals(status) && !now.isBefore(expiresAt) ? EXPIRED : status;
  }

  public boolean pendingAt(Instant now) {
    return QUEUED.equals(statusAt(now));
  }

  /** The MQTT topic the command is published on. */
  public String topic() {
    return DeviceTopics.commandTopic(deviceId, name);
  }

  public DeviceCommand withStatus(String newStatus, Instant deliveredTime) {
    return new DeviceCommand(id, deviceId, name, payload, newStatus, createdAt, expiresAt, deliveredTime);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("device_id", deviceId)
        .put("name", name)
        .put("payload", payload)
        .put("status", status)
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt.toString())
        .put("delivered_at", deliveredAt == null ? null : deliveredAt.toString());
  }

  public JsonObject view(Instant now) {
    return toJson().put("status", statusAt(now));
  }
}
