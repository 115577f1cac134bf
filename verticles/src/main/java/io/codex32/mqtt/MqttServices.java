package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceControl;
import io.codex32.devices.DeviceService;
import java.time.Clock;

/** What every MQTT verticle instance shares: config, the device domain and the per-IP connect limiter. */
public record MqttServices(MqttConfig config, DeviceService devices, DeviceCommands commands, DeviceControl control, Clock clock,
    ConnectRateLimiter limiter) {

  public static MqttServices create(MqttConfig config, DeviceService devices, DeviceCommands commands, DeviceControl control,
      Clock clock) {
    return new MqttServices(config, devices, commands, control, clock,
        new ConnectRateLimiter(clock, config.connectBurst(), config.connectRatePerSecond()));
  }
}
