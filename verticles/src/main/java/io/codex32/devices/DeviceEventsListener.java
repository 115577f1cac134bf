package io.codex32.devices;

import io.codex32.bus.Addresses;
import io.codex32.bus.DeviceEvent;
import io.codex32.bus.DeviceTelemetry;
import io.codex32.bus.UnreadableMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps {@link LiveDeviceStates} current from the device telemetry and events every gateway instance publishes. */
public final class DeviceEventsListener {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceEventsListener.class);

  private final LiveDeviceStates live;

  public DeviceEventsListener(LiveDeviceStates live) {
    this.live = live;
  }

  public Future<Void> register(Vertx vertx) {
    Future<Void> telemetry = vertx.eventBus().consumer(Addresses.DEVICE_TELEMETRY, this::onTelemetry).completion();
    Future<Void> events = vertx.eventBus().consumer(Addresses.DEVICE_EVENTS, this::onEvent).completion();
    return Future.join(telemetry, events).mapEmpty();
  }

  private void onTelemetry(Message<Object> message) {
    try {
      live.applyTelemetry(DeviceTelemetry.fromJson(message.body()));
    } catch (UnreadableMessage e) {
      LOG.warn("device telemetry dropped: {}", e.getMessage());
    }
  }

  private void onEvent(Message<Object> message) {
    try {
      if (DeviceEvent.fromJson(message.body()) instanceof DeviceEvent.Connection connection) {
        live.applyConnection(connection);
      }
    } catch (UnreadableMessage e) {
      LOG.warn("device event dropped: {}", e.getMessage());
    }
  }
}
