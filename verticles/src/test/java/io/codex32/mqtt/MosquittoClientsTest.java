package io.codex32.mqtt;

import static io.codex32.mqtt.MqttFixture.newDevice;
import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.mqtt.MqttFixture.DeviceCredentials;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The walkthrough of docs/api.md with Debian's mosquitto_pub and mosquitto_sub (package mosquitto-clients). */
@Timeout(120)
class MosquittoClientsTest {

  private static TestGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")),
        "mosquitto-clients is not installed (build-tools/provision-test-deps.sh installs it)");
    gateway = TestGateway.start(Files.createTempDirectory("codex32-mosquitto"), Map.of("CODEX32_MQTT_CONNECT_BURST", "1000"));
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void mosquittoPubTelemetryShowsInTheDeviceView() throws Exception {
    DeviceCredentials device = newDevice(gateway, "mosq-pub");
    Process pub = new ProcessBuilder(withAuth(List.of("mosquitto_pub", "-q", "1", "-t", "devices/" + device.id() + "/telemetry",
        "-m", "{\"humidity\": 40}"), device)).redirectErrorStream(true).start();
    assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).as(output(pub)).isZero();

    JsonObject view = MqttFixture.eventually(() -> Optional.of(gateway.get("/api/v1/devices/" + device.id(), gateway.adminToken()).json())
        .filter(v -> v.getJsonObject("telemetry") != null));
    assertThat(view.getJsonObject("telemetry").getJsonObject("payload").getInteger("humidity")).isEqualTo(40);
  }

  @Test
  void mosquittoSubReceivesACommand() throws Exception {
    DeviceCredentials device = newDevice(gateway, "mosq-sub");
    // -c: a persistent session, so a command sent before the SUBSCRIBE is processed still arrives
    Process sub = new ProcessBuilder(withAuth(List.of("mosquitto_sub", "-c", "-q", "1", "-C", "1", "-W", "30", "-v",
        "-t", "devices/" + device.id() + "/commands/#"), device)).redirectErrorStream(true).start();
    try {
      MqttFixture.eventually(() -> Optional.of(gateway.get("/api/v1/devices/" + device.id(), gateway.adminToken()).json())
          .filter(v -> v.getBoolean("online")));
      Response sent = gateway.send("POST", "/api/v1/devices/" + device.id() + "/commands",
          new JsonObject().put("name", "open-valve").put("payload", new JsonObject().put("valve", 2)), gateway.adminToken());
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
      assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = output(sub);
      assertThat(sub.exitValue()).as(out).isZero();
      assertThat(out.trim()).isEqualTo("devices/" + device.id() + "/commands/open-valve {\"valve\":2}");
    } finally {
      sub.destroy();
    }
  }

  @Test
  void mosquittoSubKeepsItsSubscriptionInAPersistentSessionOverMqtt311() throws Exception {
    assertSubscriptionIsKept(newDevice(gateway, "mosq-keep3"), List.of("-V", "mqttv311"));
  }

  @Test
  void mosquittoSubKeepsItsSubscriptionInAPersistentSessionOverMqtt5() throws Exception {
    assertSubscriptionIsKept(newDevice(gateway, "mosq-keep5"), List.of("-V", "mqttv5", "-x", "600"));
  }

  /**
   * Subscribes in a persistent session and leaves (-E: exit once subscribed); a command is queued;
   * a second run subscribed to another filter receives it through the kept subscription.
   */
  private static void assertSubscriptionIsKept(DeviceCredentials device, List<String> version) throws Exception {
    String prefix = "devices/" + device.id() + "/commands/";
    Process first = new ProcessBuilder(withAuth(List.of("mosquitto_sub", "-c", "-q", "1", "-E", "-t", prefix + "#"), device, version))
        .redirectErrorStream(true).start();
    assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(output(first)).isZero();
    Response sent = gateway.send("POST", "/api/v1/devices/" + device.id() + "/commands",
        new JsonObject().put("name", "open-valve").put("payload", new JsonObject().put("valve", 2)), gateway.adminToken());
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);

    Process second = new ProcessBuilder(withAuth(List.of("mosquitto_sub", "-c", "-q", "1", "-C", "1", "-W", "30", "-v",
        "-t", prefix + "none"), device, version)).redirectErrorStream(true).start();
    try {
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = output(second);
      assertThat(second.exitValue()).as(out).isZero();
      assertThat(out.trim()).isEqualTo(prefix + "open-valve {\"valve\":2}");
    } finally {
      second.destroy();
    }
  }

  private static List<String> withAuth(List<String> command, DeviceCredentials device) {
    return withAuth(command, device, List.of("-V", "mqttv311"));
  }

  private static List<String> withAuth(List<String> command, DeviceCredentials device, List<String> version) {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(gateway.mqttPort()), "-i", device.id(), "-u", device.id(),
        "-P", device.secret()));
    full.addAll(version);
    return full;
  }

  private static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
