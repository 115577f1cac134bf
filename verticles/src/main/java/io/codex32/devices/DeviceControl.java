package io.codex32.devices;

import io.codex32.bus.Addresses;
import io.codex32.bus.DeviceEvent;
import io.codex32.bus.DeviceSessionControl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;

/**
 * Messages to the gateway instance holding a device's MQTT session, wherever it runs in the
 * cluster: deliver a command, or drop the connection (device deleted, disabled, secret rotated, or
 * the same device connected elsewhere). Also announces command status changes to everyone.
 */
public final class DeviceControl {

  /** How long a new connection waits for the old one to store its session (a gateway that died never answers). */
  static final long TAKEOVER_WAIT_MS = 3000;

  private final Vertx vertx;

  public DeviceControl(Vertx vertx) {
    this.vertx = vertx;
  }

  public void deliver(DeviceCommand command) {
    vertx.eventBus().publish(Addresses.deviceCommands(command.deviceId()), command.offer().toJson());
  }

  /**
   * Asks the connection that holds the device's session, on any instance, to close and to answer
   * once the session's last state is stored, so the new connection reads that state and not an
   * older one. Completes then, at once when no connection holds it, or after {@link #TAKEOVER_WAIT_MS}.
   */
  public Future<Void> takeOver(String deviceId, String connectionId) {
    return vertx.eventBus().request(Addresses.deviceCommands(deviceId), new DeviceSessionControl.TakeOver(connectionId).toJson(),
        new DeliveryOptions().setSendTimeout(TAKEOVER_WAIT_MS)).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Disconnects every session of the device except the connection {@code keep} (null: all). */
  public void disconnect(String deviceId, String reason, String keep) {
    vertx.eventBus().publish(Addresses.deviceCommands(deviceId), new DeviceSessionControl.Disconnect(reason, keep).toJson());
  }

  /** A device event on {@code codex32.devices.events}: the command's new status, once it is stored. */
  public void commandStatus(DeviceCommand command, Instant time) {
    vertx.eventBus().publish(Addresses.DEVICE_EVENTS,
        new DeviceEvent.CommandStatus(command.deviceId(), command.id(), command.name(), command.status(), time).toJson());
  }
}
