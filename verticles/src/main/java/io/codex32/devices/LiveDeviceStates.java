package io.codex32.devices;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway knows right now about each device, from the device events and telemetry on the
 * bus: online, last_seen and the latest telemetry. Kept in memory (like LiveBotStates; a shared
 * Redis implementation comes with the production backends). Thread-safe.
 */
public final class LiveDeviceStates {

  private final Map<String, JsonObject> states = new ConcurrentHashMap<>();

  /** A {@code codex32.devices.telemetry} message. */
  public void applyTelemetry(JsonObject telemetry) {
    String time = telemetry.getString("time");
    JsonObject latest = new JsonObject().put("topic", telemetry.getString("topic")).put("payload", telemetry.getValue("payload"))
        .put("qos", telemetry.getInteger("qos")).put("time", time);
    states.compute(telemetry.getString("device_id"), (id, current) -> (current == null ? new JsonObject() : current.copy())
        .put("online", true).put("last_seen", time).put("telemetry", latest));
  }

  /**
   * A {@code codex32.devices.events} message of type {@code online} or {@code offline}. An offline
   * of a connection that was already replaced (session takeover) leaves the device online.
   */
  public void applyEvent(JsonObject event) {
    String type = event.getString("type");
    if (!"online".equals(type) && !"offline".equals(type)) {
      return;
    }
    String connection = event.getString("connection_id");
    states.compute(event.getString("device_id"), (id, current) -> {
      JsonObject next = current == null ? new JsonObject() : current.copy();
      if ("offline".equals(type) && connection != null && !connection.equals(next.getString("connection_id", connection))) {
        return next;
      }
      return next.put("online", "online".equals(type)).put("connection_id", connection).put("last_seen", event.getString("time"));
    });
  }

  /** The API's live fields of a device. */
  public JsonObject view(String deviceId) {
    JsonObject state = states.getOrDefault(deviceId, new JsonObject());
    return new JsonObject()
        .put("online", state.getBoolean("online", false))
        .put("last_seen", state.getString("last_seen"))
        .put("telemetry", state.getJsonObject("telemetry"));
  }

  public void forget(String deviceId) {
    states.remove(deviceId);
  }
}
