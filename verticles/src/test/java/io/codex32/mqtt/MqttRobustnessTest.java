package io.codex32.mqtt;

import static io.codex32.mqtt.MqttFixture.connectedV5;
import static io.codex32.mqtt.MqttFixture.newDevice;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.codex32.bus.Addresses;
import io.codex32.mqtt.MqttFixture.DeviceCredentials;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Whatever one client sends, only its own connection suffers; the others and the gateway keep going. */
@Timeout(120)
class MqttRobustnessTest {

  private static TestGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-mqtt-robust"),
        Map.of("CODEX32_MQTT_CONNECT_BURST", "1000", "CODEX32_MQTT_MAX_MESSAGE_BYTES", "4096"));
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @Test
  void oversizedPacketClosesOnlyThatConnection() throws Exception {
    DeviceCredentials bystander = newDevice(gateway, "bystander");
    DeviceCredentials big = newDevice(gateway, "big");
    Mqtt5BlockingClient other = connectedV5(gateway, bystander);
    try (Socket socket = new Socket("127.0.0.1", gateway.mqttPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(MqttFixture.connectPacket(big.id(), big.id(), big.secret(), null, null));
      assertThat(MqttDeviceIngressTest.readConnack(socket.getInputStream())).isZero();
      socket.getOutputStream().write(MqttFixture.publishPacket("devices/" + big.id() + "/telemetry", new byte[10_000]));
      assertClosed(socket);
    }
    assertStillServing(other, bystander);
  }

  @Test
  void garbageBytesCloseOnlyThatConnection() throws Exception {
    DeviceCredentials bystander = newDevice(gateway, "bystander");
    Mqtt5BlockingClient other = connectedV5(gateway, bystander);
    try (Socket socket = new Socket("127.0.0.1", gateway.mqttPort())) {
      socket.setSoTimeout(10_000);
      byte[] garbage = "GET / HTTP/1.1\r\n\r\n\u0000\u00ff\u00fe garbage".getBytes(StandardCharsets.ISO_8859_1);
      try {
        socket.getOutputStream().write(garbage);
      } catch (IOException closedEarly) {
        // the server may close before we finish writing: that is the point
      }
      assertClosed(socket);
    }
    assertStillServing(other, bystander);
    assertThat(gateway.get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void connectionAttemptsArePerIpRateLimited() throws Exception {
    try (TestGateway strict = TestGateway.start(Files.createTempDirectory("codex32-mqtt-rate"),
        Map.of("CODEX32_MQTT_CONNECT_BURST", "2", "CODEX32_MQTT_CONNECT_RATE_PER_S", "1"))) {
      int[] codes = new int[4];
      for (int i = 0; i < codes.length; i++) {
        try (Socket socket = new Socket("127.0.0.1", strict.mqttPort())) {
          socket.setSoTimeout(10_000);
          socket.getOutputStream().write(MqttFixture.connectPacket("nobody", "nobody", "wrong", null, null));
          codes[i] = MqttDeviceIngressTest.readConnack(socket.getInputStream());
        }
      }
      // 4 = bad user name or password; 3 = server unavailable (3.1.1 has no rate code)
      assertThat(codes[0]).isEqualTo(4);
      assertThat(codes[3]).isEqualTo(3);
    }
  }

  private static void assertStillServing(Mqtt5BlockingClient client, DeviceCredentials device) throws Exception {
    BlockingQueue<JsonObject> bus = MqttFixture.record(gateway, Addresses.DEVICE_TELEMETRY);
    client.publishWith().topic("devices/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
        .payload("42".getBytes(StandardCharsets.UTF_8)).send();
    assertThat(MqttFixture.next(bus, device.id(), null).getValue("payload")).isEqualTo(42);
    client.disconnect();
  }

  private static void assertClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // drain whatever the server said before closing
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open", e);
    } catch (IOException reset) {
      // a reset is a close too
    }
  }
}
