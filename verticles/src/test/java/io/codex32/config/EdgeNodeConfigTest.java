package io.codex32.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The edge node reads its own defaults (conf/edge-node.json) with the same precedence rules as the gateway. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EdgeNodeConfigTest {

  @TempDir
  Path dir;

  @Test
  void defaultsLoadFromTheJar() {
    EdgeNodeConfig config = EdgeNodeConfig.load(List.of(), Map.of());

    assertThat(config.http()).isEqualTo(new HttpConfig("0.0.0.0", 8081, 1_048_576, 1));
    assertThat(config.dataDir()).isEqualTo(Path.of("./data-edge"));
    assertThat(config.cluster()).isEqualTo(new ClusterConfig(false, List.of(), null, "", 0, 0, 1000, 5000, null, null, null));
    assertThat(config.nodeId()).isEqualTo("local");
    assertThat(config.executor().allowedCommands()).isEmpty();
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path file = Files.writeString(dir.resolve("edge.json"), "{\"node\": {\"id\": \"pi-kitchen\"}, \"http\": {\"port\": 9000}}",
        StandardCharsets.UTF_8);

    EdgeNodeConfig config = EdgeNodeConfig.load(List.of("--conf", file.toString()),
        Map.of("CODEX32_HTTP_PORT", "9001", "CODEX32_EXECUTOR_ALLOWED_COMMANDS", "python3,node"));

    assertThat(config.nodeId()).isEqualTo("pi-kitchen");
    assertThat(config.http().port()).isEqualTo(9001);
    assertThat(config.executor().allowedCommands()).containsExactly("python3", "node");
  }

  @Test
  void gatewayOnlyKeysAreUnknownToTheEdgeNode() throws IOException {
    Path file = Files.writeString(dir.resolve("edge.json"), "{\"store\": \"file\"}", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store: unknown configuration key");
  }

  @Test
  void theGatewayUrlsHandedToBotsMustBeUrls() {
    EdgeNodeConfig config = EdgeNodeConfig.load(List.of(), Map.of("CODEX32_GATEWAY_API_URL", "https://gw.lan:8080",
        "CODEX32_GATEWAY_MQTT_URL", "mqtts://gw.lan:8883"));
    assertThat(config.gatewayApiUrl()).isEqualTo("https://gw.lan:8080");
    assertThat(config.gatewayMqttUrl()).isEqualTo("mqtts://gw.lan:8883");
    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), Map.of("CODEX32_GATEWAY_API_URL", "gw.lan:8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gateway.api_url");
    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), Map.of("CODEX32_GATEWAY_MQTT_URL", "http://gw.lan")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gateway.mqtt_url");
  }
}
