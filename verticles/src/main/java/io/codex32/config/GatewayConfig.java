package io.codex32.config;

import io.codex32.gpio.GpioConfig;
import io.codex32.microphone.MicrophoneConfig;
import io.codex32.voice.VoiceConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's effective, validated configuration. Built once at start; invalid values throw
 * {@link ConfigException} naming the key.
 */
public record GatewayConfig(HttpConfig http, MqttConfig mqtt, Path dataDir, StoreKind store, PgConfig pg, RedisConfig redis,
    ClusterConfig cluster, NodeConfig node, Duration nodeOfflineAfter, String adminPassword, ExecutorConfig executor, AuthConfig auth,
    WsConfig ws, GpioConfig gpio, VoiceConfig voice, MicrophoneConfig microphone, ChatConfig chat) {

  public static final String DEFAULTS = "conf/gateway.json";
  private static final int MIN_ADMIN_PASSWORD = 8;

  public static GatewayConfig load(List<String> args, Map<String, String> env) {
    return from(ConfigLoader.load(DEFAULTS, args, env));
  }

  public static GatewayConfig from(JsonObject json) {
    Settings s = new Settings(json);
    StoreKind store = StoreKind.parse(s.requiredString("store"));
    String adminPassword = s.string("admin.password");
    if (adminPassword != null && adminPassword.codePointCount(0, adminPassword.length()) < MIN_ADMIN_PASSWORD) {
      throw new ConfigException("admin.password", "must be at least " + MIN_ADMIN_PASSWORD + " characters");
    }
    if (adminPassword != null && adminPassword.getBytes(StandardCharsets.UTF_8).length > AuthConfig.MAX_PASSWORD_BYTES) {
      throw new ConfigException("admin.password", "must be at most " + AuthConfig.MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)");
    }
    GpioConfig gpio = s.gpio();
    return new GatewayConfig(
        HttpConfig.from(s),
        MqttConfig.from(s),
        Path.of(s.requiredString("data_dir")),
        store,
        PgConfig.from(s, store),
        RedisConfig.from(s),
        ClusterConfig.from(s),
        NodeConfig.from(s),
        Duration.ofMillis(s.number("nodes.offline_after_ms", 1000, 3_600_000)),
        adminPassword,
        ExecutorConfig.from(s),
        AuthConfig.from(s),
        WsConfig.from(s),
        gpio,
        s.voice(),
        s.microphone(gpio),
        ChatConfig.from(s));
  }

  public String nodeId() {
    return node.id();
  }

  /** The configured MQTT port (0 = any free port). */
  public int mqttPort() {
    return mqtt.port();
  }
}
