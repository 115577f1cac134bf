package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a device published on one of its topics, or its will ({@code will}: the broker published it
 * for a connection that was lost). {@code payload}: the JSON value the payload parsed as, else its
 * text. Carried by {@link DeviceTelemetry} and {@link DeviceEvent.Published}.
 */
public record DevicePublish(String deviceId, String topic, Object payload, int qos, Instant time, boolean will) {

  static final String DEVICE_ID = "device_id";
  private static final String TOPIC = "topic";
  private static final String PAYLOAD = "payload";
  private static final String QOS = "qos";
  private static final String TIME = "time";
  private static final String WILL = "will";

  JsonObject write(JsonObject json) {
    json.put(DEVICE_ID, deviceId).put(TOPIC, topic).put(PAYLOAD, payload).put(QOS, qos).put(TIME, time.toString());
    return will ? json.put(WILL, true) : json;
  }

  static DevicePublish read(Fields f) {
    Integer qos = f.optionalInt(QOS);
    return new DevicePublish(f.text(DEVICE_ID), f.text(TOPIC), f.json().getValue(PAYLOAD), qos == null ? 0 : qos, f.instant(TIME),
        f.flag(WILL));
  }
}
