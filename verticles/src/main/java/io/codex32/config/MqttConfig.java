package io.codex32.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MQTT listener and its limits. {@code instances} 0 means one verticle instance per core.
 * Connection attempts are limited per client IP by a token bucket of {@code connectBurst} tokens
 * refilled at {@code connectRatePerSecond}. {@code tlsCert} and {@code tlsKey} (PEM files, both or
 * neither) turn the listener into MQTT over TLS; null means plain TCP. {@code commandRetryMs} is how
 * long an MQTT 3.1.1 device has to acknowledge a command before it is re-sent (0: never within a
 * connection); {@code maxSessionExpirySeconds} caps how long a persistent session outlives its
 * connection (0: no session outlives its connection).
 */
public record MqttConfig(String host, int port, int instances, int maxMessageBytes, int receiveMaximum, int connectBurst,
    int connectRatePerSecond, int maxQueuedCommands, int commandRetryMs, long maxSessionExpirySeconds, Path tlsCert, Path tlsKey) {

  /** A year: sessions are state kept per device, so they must end some time. */
  static final long SESSION_EXPIRY_LIMIT_S = 31_536_000;
  static final int MIN_COMMAND_RETRY_MS = 100;

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
        commandRetryMs(s),
        s.number("mqtt.max_session_expiry_s", 0, SESSION_EXPIRY_LIMIT_S),
        cert == null ? null : readablePemFile("mqtt.tls.cert", cert),
        key == null ? null : readablePemFile("mqtt.tls.key", key));
  }

  /** 0 turns re-sending off; below 100 ms a device could not answer before being flooded with copies. */
  private static int commandRetryMs(Settings s) {
    long value = s.number("mqtt.command_retry_ms", 0, 3_600_000);
    if (value > 0 && value < MIN_COMMAND_RETRY_MS) {
      throw new ConfigException("mqtt.command_retry_ms", "must be 0 (no re-send) or between " + MIN_COMMAND_RETRY_MS
          + " and 3600000, got " + value);
    }
    return (int) value;
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
