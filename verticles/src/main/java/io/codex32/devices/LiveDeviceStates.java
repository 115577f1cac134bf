package io.codex32.devices;

import io.codex32.bus.DeviceEvent;
import io.codex32.bus.DevicePublish;
import io.codex32.bus.DeviceTelemetry;
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

  public void applyTelemetry(DeviceTelemetry telemetry) {
    DevicePublish publish = telemetry.publish();
    String time = publish.time().toString();
    JsonObject latest = new JsonObject().put("topic", publish.topic()).put("payload", publish.payload()).put("qos", publish.qos())
        .put("time", time);
    states.compute(publish.deviceId(), (id, current) -> (current == null ? new JsonObject() : current.copy())
        .put("online", true).put("last_seen", time).put("telemetry", latest));
  }

  /** A connection came or went. An offline of a connection that was already replaced (session takeover) leaves the device online. */
  public void applyConnection(DeviceEvent.Connection event) {
    String connection = event.connectionId();
    states.compute(event.deviceId(), (id, current) -> {
      JsonObject next = current == null ? new JsonObject() : current.copy();
      if (!event.online() && connection != null && !connection.equals(next.getString("connection_id", connection))) {
        return next;
      }
      return next.put("online", event.online()).put("connection_id", connection).put("last_seen", event.time().toString());
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
