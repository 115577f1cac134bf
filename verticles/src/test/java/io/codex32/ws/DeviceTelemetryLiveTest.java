package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device walkthrough end to end: register a device, publish telemetry with Debian's
 * mosquitto_pub, and watch it arrive live on /ws/events.
 */
@Timeout(120)
class DeviceTelemetryLiveTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
        "mosquitto-clients is not installed (build-tools/provision-test-deps.sh installs it)");
    gateway = TestGateway.start(dataDir);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void telemetryPublishedWithMosquittoPubArrivesOnTheWebSocket() throws Exception {
    String admin = gateway.adminToken();
    Response created = gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "greenhouse-1"), admin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.json().getString("secret");

    String url = gateway.url(EventsEndpoint.PATH).replace("http://", "ws://");
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("watcher", "viewer"), false)) {
      client.subscribe("devices/greenhouse-1/telemetry", "devices/other/telemetry");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");

      Process pub = new ProcessBuilder(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(gateway.mqttPort()),
          "-i", "greenhouse-1", "-u", "greenhouse-1", "-P", secret, "-V", "mqttv311", "-q", "1",
          "-t", "devices/greenhouse-1/telemetry", "-m", "{\"temperature\": 21.5}")).redirectErrorStream(true).start();
      assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

      JsonObject event = client.next(20);
      assertThat(event.getString("topic")).isEqualTo("devices/greenhouse-1/telemetry");
      assertThat(event.getJsonObject("data").getString("device_id")).isEqualTo("greenhouse-1");
      assertThat(event.getJsonObject("data").getJsonObject("payload").getDouble("temperature")).isEqualTo(21.5);
    }
  }
}
