package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/** A device's PUBLISH (or will) to {@code devices/<id>/telemetry}, published on {@code codex32.devices.telemetry}. */
public record DeviceTelemetry(DevicePublish publish) implements BusMessage {

  @Override
  public JsonObject toJson() {
    return publish.write(Contract.body());
  }

  public static DeviceTelemetry fromJson(Object body) {
    return new DeviceTelemetry(DevicePublish.read(Fields.of(body)));
  }
}
