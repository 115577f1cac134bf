package io.codex32.mqtt;

import static io.codex32.mqtt.MqttFixture.connectedV3;
import static io.codex32.mqtt.MqttFixture.connectedV5;
import static io.codex32.mqtt.MqttFixture.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.codex32.bus.Addresses;
import io.codex32.mqtt.MqttFixture.DeviceCredentials;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MQTT listener against the HiveMQ client (3.1.1 and 5) and raw sockets, on a real gateway. */
@Timeout(120)
class MqttDeviceIngressTest {

  private static TestGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-mqtt"), Map.of("CODEX32_MQTT_CONNECT_BURST", "1000"));
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @Test
  void wrongSecretIsRefusedWithBadUsernameOrPasswordInBothVersions() {
    DeviceCredentials device = newDevice(gateway, "auth");
    Throwable v3 = catchThrowable(() -> MqttFixture.v3(gateway, device.id()).connectWith().simpleAuth().username(device.id())
        .password("d32_wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    assertThat(v3).isInstanceOf(Mqtt3ConnAckException.class);
    assertThat(((Mqtt3ConnAckException) v3).getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);

    Throwable v5 = catchThrowable(() -> MqttFixture.v5(gateway, device.id()).connectWith().simpleAuth().username(device.id())
        .password("d32_wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    assertThat(v5).isInstanceOf(Mqtt5ConnAckException.class);
    assertThat(((Mqtt5ConnAckException) v5).getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void disabledDeviceIsRefusedAsNotAuthorizedInBothVersions() {
    DeviceCredentials device = newDevice(gateway, "disabled");
    Response patched = gateway.send("PATCH", "/api/v1/devices/" + device.id(), new JsonObject().put("enabled", false),
        gateway.adminToken());
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);

    Throwable v3 = catchThrowable(() -> connectedV3(gateway, device, true));
    assertThat(((Mqtt3ConnAckException) v3).getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
    Throwable v5 = catchThrowable(() -> connectedV5(gateway, device));
    assertThat(((Mqtt5ConnAckException) v5).getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
  }

  @Test
  void mqtt5ConnackAdvertisesTheServersLimits() {
    DeviceCredentials device = newDevice(gateway, "limits");
    Mqtt5BlockingClient client = MqttFixture.v5(gateway, device.id());
    Mqtt5ConnAck connack = client.connectWith().simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    try {
      assertThat(connack.getRestrictions().getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(connack.getRestrictions().isRetainAvailable()).isFalse();
      assertThat(connack.getRestrictions().isSharedSubscriptionAvailable()).isFalse();
      assertThat(connack.getRestrictions().getMaximumPacketSize()).isEqualTo(65536);
      assertThat(connack.getRestrictions().getReceiveMaximum()).isEqualTo(32);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void telemetryReachesTheBusAndTheDeviceView() throws Exception {
    DeviceCredentials device = newDevice(gateway, "telemetry");
    BlockingQueue<JsonObject> bus = MqttFixture.record(gateway, Addresses.DEVICE_TELEMETRY);
    Mqtt5BlockingClient client = connectedV5(gateway, device);
    try {
      client.publishWith().topic("devices/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
          .payload("{\"temp\": 21.5}".getBytes(StandardCharsets.UTF_8)).send();
      JsonObject message = MqttFixture.next(bus, device.id(), null);
      assertThat(message.getJsonObject("payload").getDouble("temp")).isEqualTo(21.5);
      assertThat(message.getInteger("qos")).isEqualTo(1);
      assertThat(message.getString("topic")).isEqualTo("devices/" + device.id() + "/telemetry");

      JsonObject view = MqttFixture.eventually(() -> Optional.of(gateway.get("/api/v1/devices/" + device.id(), gateway.adminToken()).json())
          .filter(v -> v.getJsonObject("telemetry") != null));
      assertThat(view.getBoolean("online")).isTrue();
      assertThat(view.getString("last_seen")).isNotNull();
      assertThat(view.getJsonObject("telemetry").getJsonObject("payload").getDouble("temp")).isEqualTo(21.5);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void publishingToAnotherDevicesTopicIsRefusedNotAuthorizedInV5() {
    DeviceCredentials device = newDevice(gateway, "acl5");
    Mqtt5BlockingClient client = connectedV5(gateway, device);
    try {
      assertThatThrownBy(() -> client.publishWith().topic("devices/someone-else/telemetry").qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {1}).send())
          .isInstanceOfSatisfying(Mqtt5PubAckException.class,
              e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      Throwable sub = catchThrowable(() -> client.subscribeWith().topicFilter("devices/#").qos(MqttQos.AT_LEAST_ONCE).send());
      assertThat(sub).isInstanceOf(Mqtt5SubAckException.class);
      assertThat(((Mqtt5SubAckException) sub).getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      // its own command topics stay open
      assertThat(client.subscribeWith().topicFilter("devices/" + device.id() + "/commands/#").qos(MqttQos.AT_LEAST_ONCE).send()
          .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void foreignSubscriptionFailsAndForeignPublishDisconnectsInV3() {
    DeviceCredentials device = newDevice(gateway, "acl3");
    Mqtt3BlockingClient client = connectedV3(gateway, device, true);
    Throwable sub = catchThrowable(() -> client.subscribeWith().topicFilter("devices/other/commands/#").send());
    assertThat(sub).isInstanceOf(Mqtt3SubAckException.class);
    assertThat(((Mqtt3SubAckException) sub).getMqttMessage().getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.FAILURE);

    catchThrowable(() -> client.publishWith().topic("bots/x/heartbeat").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send());
    MqttFixture.eventually(() -> Optional.of(client.getState().isConnected()).filter(connected -> !connected));
  }

  @Test
  void queuedCommandIsDeliveredOnReconnectAndMarkedDelivered() throws Exception {
    DeviceCredentials device = newDevice(gateway, "cmd");
    Mqtt3BlockingClient first = connectedV3(gateway, device, false);
    first.disconnect();

    Response sent = gateway.send("POST", "/api/v1/devices/" + device.id() + "/commands",
        new JsonObject().put("name", "reboot").put("payload", new JsonObject().put("delay_s", 5)).put("ttl_s", 60), gateway.adminToken());
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    assertThat(sent.json().getString("status")).isEqualTo("queued");
    String commandPath = "/api/v1/devices/" + device.id() + "/commands/" + sent.json().getString("id");

    Mqtt3BlockingClient client = MqttFixture.v3(gateway, device.id());
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.connectWith().cleanSession(false).simpleAuth().username(device.id())
          .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
      client.subscribeWith().topicFilter("devices/" + device.id() + "/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt3Publish command = publishes.receive(15, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command delivered"));
      assertThat(command.getTopic().toString()).isEqualTo("devices/" + device.id() + "/commands/reboot");
      assertThat(command.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(new JsonObject(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8)).getInteger("delay_s")).isEqualTo(5);
      JsonObject status = MqttFixture.eventually(() -> Optional.of(gateway.get(commandPath, gateway.adminToken()).json())
          .filter(c -> "delivered".equals(c.getString("status"))));
      assertThat(status.getString("delivered_at")).isNotNull();
    } finally {
      client.disconnect();
    }
  }

  @Test
  void commandToAConnectedDeviceArrivesAtOnce() throws Exception {
    DeviceCredentials device = newDevice(gateway, "live");
    Mqtt5BlockingClient client = connectedV5(gateway, device);
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("devices/" + device.id() + "/commands/+").qos(MqttQos.AT_LEAST_ONCE).send();
      Response sent = gateway.send("POST", "/api/v1/devices/" + device.id() + "/commands",
          new JsonObject().put("name", "blink").put("payload", "3"), gateway.adminToken());
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
      var command = publishes.receive(15, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command delivered"));
      assertThat(command.getTopic().toString()).isEqualTo("devices/" + device.id() + "/commands/blink");
      assertThat(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("3");
    } finally {
      client.disconnect();
    }
  }

  @Test
  void lostConnectionPublishesTheWillAndMarksTheDeviceOffline() throws Exception {
    DeviceCredentials device = newDevice(gateway, "will");
    BlockingQueue<JsonObject> events = MqttFixture.record(gateway, Addresses.DEVICE_EVENTS);
    String willTopic = "devices/" + device.id() + "/events";
    try (Socket socket = new Socket("127.0.0.1", gateway.mqttPort())) {
      socket.getOutputStream().write(MqttFixture.connectPacket(device.id(), device.id(), device.secret(), willTopic, "{\"gone\":true}"));
      assertThat(readConnack(socket.getInputStream())).isZero();
      MqttFixture.next(events, device.id(), "online");
    }
    JsonObject will = MqttFixture.next(events, device.id(), "event");
    assertThat(will.getBoolean("will")).isTrue();
    assertThat(will.getJsonObject("payload").getBoolean("gone")).isTrue();
    JsonObject offline = MqttFixture.next(events, device.id(), "offline");
    assertThat(offline.getString("reason")).isEqualTo("connection_lost");
    JsonObject view = MqttFixture.eventually(() -> Optional.of(gateway.get("/api/v1/devices/" + device.id(), gateway.adminToken()).json())
        .filter(v -> !v.getBoolean("online")));
    assertThat(view.getString("last_seen")).isNotNull();
  }

  @Test
  void duplicateQos1PublishIsForwardedOnce() throws Exception {
    DeviceCredentials device = newDevice(gateway, "dup");
    BlockingQueue<JsonObject> bus = MqttFixture.record(gateway, Addresses.DEVICE_TELEMETRY);
    String topic = "devices/" + device.id() + "/telemetry";
    try (Socket socket = new Socket("127.0.0.1", gateway.mqttPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(MqttFixture.connectPacket(device.id(), device.id(), device.secret(), null, null));
      assertThat(readConnack(in)).isZero();
      out.write(MqttFixture.publishQos1Packet(topic, 7, false, "1".getBytes(StandardCharsets.UTF_8)));
      assertThat(readPuback(in)).isEqualTo(7);
      out.write(MqttFixture.publishQos1Packet(topic, 7, true, "1".getBytes(StandardCharsets.UTF_8)));
      assertThat(readPuback(in)).isEqualTo(7);
      out.write(MqttFixture.publishQos1Packet(topic, 8, false, "2".getBytes(StandardCharsets.UTF_8)));
      assertThat(readPuback(in)).isEqualTo(8);
    }
    assertThat(MqttFixture.next(bus, device.id(), null).getValue("payload")).isEqualTo(1);
    assertThat(MqttFixture.next(bus, device.id(), null).getValue("payload")).isEqualTo(2);
  }

  @Test
  void deletingADeviceClosesItsConnectionAndItsSecretStopsWorking() {
    DeviceCredentials device = newDevice(gateway, "doomed");
    Mqtt3BlockingClient client = connectedV3(gateway, device, true);
    assertThat(gateway.delete("/api/v1/devices/" + device.id(), gateway.adminToken()).status()).isEqualTo(204);
    MqttFixture.eventually(() -> Optional.of(client.getState().isConnected()).filter(connected -> !connected));
    Throwable again = catchThrowable(() -> connectedV3(gateway, device, true));
    assertThat(((Mqtt3ConnAckException) again).getMqttMessage().getReturnCode())
        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void rotatingTheSecretDisconnectsAndOnlyTheNewSecretConnects() {
    DeviceCredentials device = newDevice(gateway, "rotated");
    Mqtt5BlockingClient client = connectedV5(gateway, device);
    Response rotated = gateway.post("/api/v1/devices/" + device.id() + "/secret", gateway.adminToken());
    assertThat(rotated.status()).isEqualTo(200);
    MqttFixture.eventually(() -> Optional.of(client.getState().isConnected()).filter(connected -> !connected));
    Throwable old = catchThrowable(() -> connectedV5(gateway, device));
    assertThat(((Mqtt5ConnAckException) old).getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    Mqtt5BlockingClient renewed = connectedV5(gateway, new DeviceCredentials(device.id(), rotated.json().getString("secret")));
    renewed.disconnect();
  }

  @Test
  void aSecondConnectionOfTheSameDeviceTakesTheSessionOver() {
    DeviceCredentials device = newDevice(gateway, "twice");
    Mqtt3BlockingClient first = connectedV3(gateway, device, true);
    Mqtt3BlockingClient second = connectedV3(gateway, device, true);
    try {
      MqttFixture.eventually(() -> Optional.of(first.getState().isConnected()).filter(connected -> !connected));
      assertThat(second.getState().isConnected()).isTrue();
      String path = "/api/v1/devices/" + device.id();
      JsonObject view = MqttFixture.eventually(() -> Optional.of(gateway.get(path, gateway.adminToken()).json())
          .filter(v -> v.getBoolean("online")));
      assertThat(view.getBoolean("online")).isTrue();
    } finally {
      second.disconnect();
    }
  }

  static int readConnack(InputStream in) throws Exception {
    byte[] connack = in.readNBytes(4);
    assertThat(connack).hasSize(4);
    assertThat(connack[0]).isEqualTo((byte) 0x20);
    return connack[3];
  }

  private static int readPuback(InputStream in) throws Exception {
    byte[] puback = in.readNBytes(4);
    assertThat(puback[0]).isEqualTo((byte) 0x40);
    return ((puback[2] & 0xff) << 8) | (puback[3] & 0xff);
  }
}
