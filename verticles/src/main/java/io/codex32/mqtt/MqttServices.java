package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceControl;
import io.codex32.devices.DeviceService;
import io.codex32.devices.DeviceSessions;
import io.codex32.security.AuthService;
import io.codex32.supervisor.BotSelfService;
import java.time.Clock;

/**
 * What every MQTT verticle instance shares: config, the device domain (with the stored persistent
 * sessions), the per-IP connect limiter, and for bots (heartbeats over MQTT) bot-token verification
 * and the bots' self service.
 */
public record MqttServices(MqttConfig config, DeviceService devices, DeviceCommands commands, DeviceControl control,
    DeviceSessions sessions, Clock clock, ConnectRateLimiter limiter, AuthService auth, BotSelfService bots) {

  public static MqttServices create(MqttConfig config, DeviceService devices, DeviceCommands commands, DeviceControl control,
      DeviceSessions sessions, Clock clock, AuthService auth, BotSelfService bots) {
    return new MqttServices(config, devices, commands, control, sessions, clock,
        new ConnectRateLimiter(clock, config.connectBurst(), config.connectRatePerSecond()), auth, bots);
  }
}
