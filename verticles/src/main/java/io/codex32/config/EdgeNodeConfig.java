package io.codex32.config;

import io.codex32.gpio.GpioConfig;
import io.codex32.microphone.MicrophoneConfig;
import io.codex32.voice.VoiceConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An edge node's effective, validated configuration. {@code gatewayApiUrl}/{@code gatewayMqttUrl}:
 * how this node's bots reach a gateway (handed to them as CODEX32_API_URL / CODEX32_MQTT_URL).
 * {@code eventBuffer}: bot status events kept while no gateway is reachable; {@code rejoinIntervalMs}:
 * how often a reachable gateway is looked for then.
 */
public record EdgeNodeConfig(HttpConfig http, Path dataDir, ClusterConfig cluster, NodeConfig node, ExecutorConfig executor,
    String gatewayApiUrl, String gatewayMqttUrl, int eventBuffer, long rejoinIntervalMs, GpioConfig gpio, VoiceConfig voice,
    MicrophoneConfig microphone) {

  private static final Pattern API_URL = Pattern.compile("https?://[^\\s]{1,2040}");
  private static final Pattern MQTT_URL = Pattern.compile("mqtts?://[^\\s]{1,2040}");

  public static final String DEFAULTS = "conf/edge-node.json";

  public static EdgeNodeConfig load(List<String> args, Map<String, String> env) {
    return from(ConfigLoader.load(DEFAULTS, args, env));
  }

  public static EdgeNodeConfig from(JsonObject json) {
    Settings s = new Settings(json);
    GpioConfig gpio = s.gpio();
    return new EdgeNodeConfig(HttpConfig.from(s), Path.of(s.requiredString("data_dir")), ClusterConfig.from(s), NodeConfig.from(s),
        ExecutorConfig.from(s), url(s, "gateway.api_url", API_URL, "https://gateway:8080"),
        url(s, "gateway.mqtt_url", MQTT_URL, "mqtts://gateway:8883"),
        (int) s.number("cluster.event_buffer", 100, 1_000_000), s.number("cluster.rejoin_interval_ms", 100, 60_000),
        gpio,
        s.voice(),
        s.microphone(gpio));
  }

  /** What this node's bots get as CODEX32_API_URL / CODEX32_MQTT_URL: the gateway as they reach it. */
  private static String url(Settings s, String key, Pattern pattern, String example) {
    String url = s.string(key);
    if (url != null && !pattern.matcher(url).matches()) {
      throw new ConfigException(key, "must be a URL like " + example + ", got '" + url + "'");
    }
    return url;
  }

  public String nodeId() {
    return node.id();
  }
}
