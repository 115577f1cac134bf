package io.codex32.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MQTT listener and its limits. {@code instances} 0 means one verticle instance per core.
 * Connection attempts are limited per client IP by a token bucket of {@code connectBurst} tokens
 * refilled at {@code connectRatePerSecond}. {@code tlsCert} and {@code tlsKey} (PEM files, both or
 * neither) turn the listener into MQTT over TLS; null means plain TCP.
 */
public record MqttConfig(String host, int port, int instances, int maxMessageBytes, int receiveMaximum, int connectBurst,
    int connectRatePerSecond, int maxQueuedCommands, Path tlsCert, Path tlsKey) {

  static MqttConfig from(Settings s) {
    String cert = s.string("mqtt.tls.cert");
    String key = s.string("mqtt.tls.key");
    if ((cert == null) != (key == null)) {
      throw new ConfigException(cert == null ? "mqtt.tls.cert" : "mqtt.tls.key",
          "MQTT over TLS needs mqtt.tls.cert and mqtt.tls.key (PEM files) together, or neither for plain TCP");
    }
    return new MqttConfig(
        s.requiredString("mqtt.host"),
        s.port("mqtt.port"),
        (int) s.number("mqtt.instances", 0, 64),
        (int) s.number("mqtt.max_message_bytes", 256, 256L * 1024 * 1024),
        (int) s.number("mqtt.receive_maximum", 1, 65535),
        (int) s.number("mqtt.connect_burst", 1, 100_000),
        (int) s.number("mqtt.connect_rate_per_s", 1, 100_000),
        (int) s.number("mqtt.max_queued_commands", 1, 10_000),
        cert == null ? null : readablePemFile("mqtt.tls.cert", cert),
        key == null ? null : readablePemFile("mqtt.tls.key", key));
  }

  /** Whether the listener speaks TLS. */
  public boolean tls() {
    return tlsCert != null;
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }

  private static Path readablePemFile(String key, String value) {
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, "file not found: " + path.toAbsolutePath());
    }
    if (!Files.isReadable(path)) {
      throw new ConfigException(key, "file not readable: " + path.toAbsolutePath());
    }
    return path;
  }
}
