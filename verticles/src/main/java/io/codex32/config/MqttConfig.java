package io.codex32.config;

/**
 * The MQTT listener and its limits. {@code instances} 0 means one verticle instance per core.
 * Connection attempts are limited per client IP by a token bucket of {@code connectBurst} tokens
 * refilled at {@code connectRatePerSecond}.
 */
public record MqttConfig(String host, int port, int instances, int maxMessageBytes, int receiveMaximum, int connectBurst,
    int connectRatePerSecond, int maxQueuedCommands) {

  static MqttConfig from(Settings s) {
    return new MqttConfig(
        s.requiredString("mqtt.host"),
        s.port("mqtt.port"),
        (int) s.number("mqtt.instances", 0, 64),
        (int) s.number("mqtt.max_message_bytes", 256, 256L * 1024 * 1024),
        (int) s.number("mqtt.receive_maximum", 1, 65535),
        (int) s.number("mqtt.connect_burst", 1, 100_000),
        (int) s.number("mqtt.connect_rate_per_s", 1, 100_000),
        (int) s.number("mqtt.max_queued_commands", 1, 10_000));
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
