package io.codex32.devices;

import io.codex32.store.Document;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** A command for a device and where it stands: {@code queued → delivered}, or {@code queued → expired} after its TTL. */
public record DeviceCommand(String id, String deviceId, String name, Object payload, Status status, Instant createdAt,
    Instant expiresAt, Instant deliveredAt) {

  public enum Status {
    QUEUED, DELIVERED, EXPIRED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status parse(String text) {
      return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown command status '" + text + "'"));
    }
  }

  static DeviceCommand fromJson(JsonObject json) {
    String delivered = json.getString("delivered_at");
    return new DeviceCommand(json.getString("id"), json.getString("device_id"), json.getString("name"), json.getValue("payload"),
        Status.parse(json.getString("status")), Instant.parse(json.getString("created_at")), Instant.parse(json.getString("expires_at")),
        delivered == null ? null : Instant.parse(delivered));
  }

  static DeviceCommand fromDocument(Document doc) {
    return fromJson(doc.body());
  }

  /** The command as carried on the bus (the same JSON as stored). */
  public static DeviceCommand fromMessage(JsonObject json) {
    return fromJson(json);
  }

  /** Queued past its expiry counts as expired even before anyone wrote it down. */
  public Status statusAt(Instant now) {
    return status == Status.QUEUED && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
  }

  public boolean pendingAt(Instant now) {
    return statusAt(now) == Status.QUEUED;
  }

  /** The MQTT topic the command is published on. */
  public String topic() {
    return DeviceTopics.commandTopic(deviceId, name);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("device_id", deviceId)
        .put("name", name)
        .put("payload", payload)
        .put("status", status.wireName())
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt.toString())
        .put("delivered_at", deliveredAt == null ? null : deliveredAt.toString());
  }

  public JsonObject view(Instant now) {
    return toJson().put("status", statusAt(now).wireName());
  }
}
