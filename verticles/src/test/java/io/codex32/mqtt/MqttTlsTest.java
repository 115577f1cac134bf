package io.codex32.mqtt;

import static io.codex32.mqtt.MqttFixture.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.codex32.config.ConfigException;
import io.codex32.config.GatewayConfig;
import io.codex32.mqtt.MqttFixture.DeviceCredentials;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT over TLS with PEM files ({@code mqtt.tls.cert} / {@code mqtt.tls.key}). The self-signed certificate
 * and its key are generated with openssl at test time; no private key is committed.
 */
@Timeout(120)
class MqttTlsTest {

  private static Path dir;
  private static Path cert;
  private static Path key;
  private static TestGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    dir = Files.createTempDirectory("codex32-mqtt-tls");
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1", "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).start();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output(openssl)).isZero();
    gateway = TestGateway.start(Files.createDirectories(dir.resolve("data")), Map.of(
        "CODEX32_MQTT_TLS_CERT", cert.toString(), "CODEX32_MQTT_TLS_KEY", key.toString(), "CODEX32_MQTT_CONNECT_BURST", "1000"));
  }

  @AfterAll
  static void stopGateway() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    if (dir != null) {
      // the generated private key does not outlive the test
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void telemetryOverTlsShowsInTheDeviceView() throws Exception {
    DeviceCredentials device = newDevice(gateway, "tls-v5");
    Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(device.id())
        .serverHost("127.0.0.1").serverPort(gateway.mqttPort())
        .sslConfig().trustManagerFactory(trusting(cert)).applySslConfig()
        .buildBlocking();
    client.connectWith().simpleAuth().username(device.id()).password(device.secret().getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    try {
      client.publishWith().topic("devices/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
          .payload("{\"temp\": 21.5}".getBytes(StandardCharsets.UTF_8)).send();
      JsonObject view = telemetryOf(device);
      assertThat(view.getJsonObject("telemetry").getJsonObject("payload").getDouble("temp")).isEqualTo(21.5);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void plainTcpClientIsNotServedOnTheTlsPort() {
    DeviceCredentials device = newDevice(gateway, "tls-plain");
    Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(device.id())
        .serverHost("127.0.0.1").serverPort(gateway.mqttPort()).buildBlocking();

    assertThatThrownBy(() -> client.connectWith().simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void clientThatDoesNotTrustTheCertificateIsRefused() {
    DeviceCredentials device = newDevice(gateway, "tls-untrusted");
    Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(device.id())
        .serverHost("127.0.0.1").serverPort(gateway.mqttPort()).sslWithDefaultConfig().buildBlocking();

    assertThatThrownBy(() -> client.connectWith().simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void mosquittoPubWithCafile() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")), "mosquitto-clients is not installed");
    DeviceCredentials device = newDevice(gateway, "tls-mosq");
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(gateway.mqttPort()),
        "--cafile", cert.toString(), "-i", device.id(), "-u", device.id(), "-P", device.secret(), "-V", "mqttv311",
        "-q", "1", "-t", "devices/" + device.id() + "/telemetry", "-m", "{\"humidity\": 40}").redirectErrorStream(true).start();
    assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).as(output(pub)).isZero();

    assertThat(telemetryOf(device).getJsonObject("telemetry").getJsonObject("payload").getInteger("humidity")).isEqualTo(40);
  }

  @Test
  void certWithoutKeyNamesTheMissingKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_TLS_CERT", cert.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("mqtt.tls.key: ");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_TLS_KEY", key.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("mqtt.tls.cert: ");
  }

  @Test
  void missingPemFileIsAStartError() {
    Path missing = dir.resolve("no-such.pem");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_TLS_CERT", missing.toString(),
        "CODEX32_MQTT_TLS_KEY", key.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("mqtt.tls.cert: file not found: " + missing.toAbsolutePath());
  }

  @Test
  void pemFileThatIsNotAKeyFailsTheStart() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    assertThatThrownBy(() -> TestGateway.start(Files.createDirectories(dir.resolve("data-bad")), Map.of(
        "CODEX32_MQTT_TLS_CERT", cert.toString(), "CODEX32_MQTT_TLS_KEY", garbage.toString())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("gateway did not start")
        .cause().hasMessageStartingWith("MQTT listener (TLS, mqtt.tls.cert " + cert.toAbsolutePath() + ", mqtt.tls.key "
            + garbage.toAbsolutePath() + ") did not start: ")
        .hasMessageContaining("PRIVATE KEY");
  }

  private static JsonObject telemetryOf(DeviceCredentials device) {
    return MqttFixture.eventually(() -> Optional.of(gateway.get("/api/v1/devices/" + device.id(), gateway.adminToken()).json())
        .filter(v -> v.getJsonObject("telemetry") != null));
  }

  private static TrustManagerFactory trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("gateway", certificate);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    return factory;
  }

  private static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
