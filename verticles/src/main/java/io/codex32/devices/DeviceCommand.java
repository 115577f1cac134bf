package io.codex32.devices;

import io.codex32.bus.CommandState;
import io.codex32.bus.DeviceSessionControl;
import io.codex32.store.Document;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A command for a device and where it stands: {@code queued → delivered}, or {@code queued → expired} after its TTL. */
public record DeviceCommand(String id, String deviceId, String name, Object payload, CommandState status, Instant createdAt,
    Instant expiresAt, Instant deliveredAt) {

  static DeviceCommand fromJson(JsonObject json) {
    String delivered = json.getString("delivered_at");
    return new DeviceCommand(json.getString("id"), json.getString("device_id"), json.getString("name"), json.getValue("payload"),
        CommandState.parse(json.getString("status")), Instant.parse(json.getString("created_at")),
        Instant.parse(json.getString("expires_at")), delivered == null ? null : Instant.parse(delivered));
  }

  static DeviceCommand fromDocument(Document doc) {
    return fromJson(doc.body());
  }

  /** The command a gateway offered to the device's session over the bus (always queued when offered). */
  public static DeviceCommand offered(DeviceSessionControl.Deliver offer) {
    return new DeviceCommand(offer.commandId(), offer.deviceId(), offer.name(), offer.payload(), CommandState.QUEUED, offer.createdAt(),
        offer.expiresAt(), null);
  }

  /** This command as offered to the device's session over the bus. */
  public DeviceSessionControl.Deliver offer() {
    return new DeviceSessionControl.Deliver(id, deviceId, name, payload, createdAt, expiresAt);
  }

  /** Queued past its expiry counts as expired even before anyone wrote it down. */
  public CommandState statusAt(Instant now) {
    return status == CommandState.QUEUED && !now.isBefore(expiresAt) ? CommandState.EXPIRED : status;
  }

  public boolean pendingAt(Instant now) {
    return statusAt(now) == CommandState.QUEUED;
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
