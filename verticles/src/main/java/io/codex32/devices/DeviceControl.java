package io.codex32.devices;

import io.codex32.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Messages to the gateway instance holding a device's MQTT session, wherever it runs in the
 * cluster: deliver a command, or drop the connection (device deleted, disabled, secret rotated, or
 * the same device connected elsewhere).
 */
public final class DeviceControl {

  public static final String TYPE_COMMAND = "command";
  public static final String TYPE_DISCONNECT = "disconnect";

  private final Vertx vertx;

  public DeviceControl(Vertx vertx) {
    this.vertx = vertx;
  }

  public void deliver(DeviceCommand command) {
    vertx.eventBus().publish(Addresses.deviceCommands(command.deviceId()),
        new JsonObject().put("type", TYPE_COMMAND).put("command", command.toJson()));
  }

  /** Disconnects every session of the device except the connection {@code keep} (null: all). */
  public void disconnect(String deviceId, String reason, String keep) {
    vertx.eventBus().publish(Addresses.deviceCommands(deviceId),
        new JsonObject().put("type", TYPE_DISCONNECT).put("reason", reason).put("keep", keep));
  }
}
