package io.codex32.devices;

import io.codex32.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Keeps {@link LiveDeviceStates} current from the device telemetry and events every gateway instance publishes. */
public final class DeviceEventsListener {

  private final LiveDeviceStates live;

  public DeviceEventsListener(LiveDeviceStates live) {
    this.live = live;
  }

  public Future<Void> register(Vertx vertx) {
    Future<Void> telemetry = vertx.eventBus().<JsonObject>consumer(Addresses.DEVICE_TELEMETRY, m -> live.applyTelemetry(m.body()))
        .completion();
    Future<Void> events = vertx.eventBus().<JsonObject>consumer(Addresses.DEVICE_EVENTS, m -> live.applyEvent(m.body())).completion();
    return Future.join(telemetry, events).mapEmpty();
  }
}
