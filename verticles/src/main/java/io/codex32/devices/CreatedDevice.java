package io.codex32.devices;

import io.vertx.core.json.JsonObject;

/** A device with its secret in clear: the only moment the secret exists outside the device. */
public record CreatedDevice(Device device, String secret) {

  public JsonObject toJson() {
    return device.toJson().put("secret", secret);
  }
}
