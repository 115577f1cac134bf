package io.codex32.mqtt;

import static io.codex32.mqtt.MqttFixture.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.codex32.bus.Addresses;
import io.codex32.mqtt.MqttFixture.DeviceCredentials;
import io.codex32.mqtt.RawMqttClient.Connack;
import io.codex32.mqtt.RawMqttClient.Packet;
import io.codex32.mqtt.RawMqttClient.Publish;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent sessions, command re-sending and expiry, against a real gateway with the HiveMQ client
 * (3.1.1 and 5) and raw sockets where the client library would hide what is checked (DUP, packet ids).
 */
@Timeout(120)
class MqttSessionTest {

  private static final long RETRY_MS = 300;
  private static final long MAX_EXPIRY_S = 3600;
  private static final Map<String, String> ENV = Map.of("CODEX32_MQTT_CONNECT_BURST", "1000",
      "CODEX32_MQTT_COMMAND_RETRY_MS", String.valueOf(RETRY_MS), "CODEX32_MQTT_MAX_SESSION_EXPIRY_S", String.valueOf(MAX_EXPIRY_S));

  private static Path dataDir;
  private static TestGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    dataDir = Files.createTempDirectory("codex32-mqtt-session");
    gateway = TestGateway.start(dataDir, ENV);
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @Test
  void v3SessionPresentOnlyWhenAPersistentSessionWasKept() {
    DeviceCredentials device = newDevice(gateway, "present3");
    assertThat(connectV3(device, false)).as("first persistent connect").isFalse();
    assertThat(connectV3(device, false)).as("persistent again").isTrue();
    assertThat(connectV3(device, true)).as("clean session").isFalse();
    assertThat(connectV3(device, false)).as("after a clean session discarded it").isFalse();
  }

  @Test
  void v5SessionPresentFollowsCleanStartAndSessionExpiry() {
    DeviceCredentials device = newDevice(gateway, "present5");
    assertThat(connectV5(device, false, 60).isSessionPresent()).as("first connect").isFalse();
    assertThat(connectV5(device, false, 60).isSessionPresent()).as("resumed within its expiry").isTrue();
    assertThat(connectV5(device, true, 60).isSessionPresent()).as("clean start").isFalse();
    assertThat(connectV5(device, false, 0).isSessionPresent()).as("resumed, to end at this disconnect").isTrue();
    assertThat(connectV5(device, false, 60).isSessionPresent()).as("session expiry 0 ended it").isFalse();
  }

  @Test
  void v5DisconnectWithSessionExpiryZeroEndsTheSession() {
    DeviceCredentials device = newDevice(gateway, "bye5");
    connectV5(device, false, 60);
    Mqtt5BlockingClient client = MqttFixture.v5(gateway, device.id());
    Mqtt5ConnAck resumed = client.connectWith().cleanStart(false).sessionExpiryInterval(60).simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    assertThat(resumed.isSessionPresent()).isTrue();
    client.disconnectWith().sessionExpiryInterval(0).send();
    assertThat(connectV5(device, false, 60).isSessionPresent()).isFalse();
  }

  @Test
  void v5SessionExpiryAboveTheCapIsLoweredAndTheConnackSaysSo() {
    DeviceCredentials device = newDevice(gateway, "cap5");
    Mqtt5ConnAck capped = connectV5(device, false, 0xFFFF_FFFFL);
    assertThat(capped.getSessionExpiryInterval()).hasValue(MAX_EXPIRY_S);
    Mqtt5ConnAck within = connectV5(device, false, 60);
    assertThat(within.getSessionExpiryInterval()).isEmpty();
  }

  @Test
  void v5SubscriptionIsKeptAndAQueuedCommandArrivesWithoutSubscribingAgain() throws Exception {
    DeviceCredentials device = newDevice(gateway, "keep5");
    Mqtt5BlockingClient first = MqttFixture.v5(gateway, device.id());
    first.connectWith().cleanStart(true).sessionExpiryInterval(300).simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    first.subscribeWith().topicFilter("devices/" + device.id() + "/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
    first.disconnect();
    String path = sendCommand(device, "water", new JsonObject().put("ml", 250), 60);

    Mqtt5BlockingClient again = MqttFixture.v5(gateway, device.id());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
      Mqtt5ConnAck connack = again.connectWith().cleanStart(false).sessionExpiryInterval(300).simpleAuth().username(device.id())
          .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
      assertThat(connack.isSessionPresent()).isTrue();
      Mqtt5Publish command = publishes.receive(15, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command delivered"));
      assertThat(command.getTopic().toString()).isEqualTo("devices/" + device.id() + "/commands/water");
      assertThat(new JsonObject(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8)).getInteger("ml")).isEqualTo(250);
      awaitStatus(path, "delivered");
    } finally {
      again.disconnect();
    }
  }

  @Test
  void v3UnacknowledgedCommandIsSentAgainWithDupUnderTheSamePacketId() throws Exception {
    DeviceCredentials device = newDevice(gateway, "dup3");
    BlockingQueue<JsonObject> events = MqttFixture.record(gateway, Addresses.DEVICE_EVENTS);
    try (RawMqttClient client = RawMqttClient.open(gateway.mqttPort(), false)) {
      assertThat(client.connect(device.id(), device.secret(), true, null).code()).isZero();
      assertThat(client.subscribe(1, "devices/" + device.id() + "/commands/#")).isEqualTo(1);
      String path = sendCommand(device, "reset", "now", 60);

      Publish sent = client.readPublish();
      assertThat(sent.dup()).isFalse();
      assertThat(sent.qos()).isEqualTo(1);
      assertThat(sent.topic()).isEqualTo("devices/" + device.id() + "/commands/reset");
      Publish again = client.readPublish();
      assertThat(again.dup()).isTrue();
      assertThat(again.packetId()).isEqualTo(sent.packetId());
      assertThat(again.topic()).isEqualTo(sent.topic());
      assertThat(again.payload()).isEqualTo("now");
      assertThat(gateway.get(path, gateway.adminToken()).json().getString("status")).isEqualTo("queued");

      client.puback(again.packetId());
      JsonObject delivered = MqttFixture.next(events, device.id(), "command");
      assertThat(delivered.getString("status")).isEqualTo("delivered");
      assertThat(path).endsWith(delivered.getString("command_id"));
      assertThat(gateway.get(path, gateway.adminToken()).json().getString("status")).isEqualTo("delivered");
    }
  }

  @Test
  void v3ResendsAreBounded() throws Exception {
    DeviceCredentials device = newDevice(gateway, "bounded3");
    try (RawMqttClient client = RawMqttClient.open(gateway.mqttPort(), false)) {
      client.connect(device.id(), device.secret(), true, null);
      client.subscribe(1, "devices/" + device.id() + "/commands/#");
      sendCommand(device, "ignored", "x", 60);
      int packetId = client.readPublish().packetId();
      for (int resend = 1; resend < CommandOutbox.MAX_SENDS; resend++) {
        Publish again = client.readPublish();
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(packetId);
      }
      // a later command, sent after the last copy and left unacknowledged once, serves as the clock:
      // a sixth copy of the ignored one would be due before the later one's first re-send
      String later = sendCommand(device, "later", "y", 60);
      Publish next = client.readPublish();
      assertThat(next.topic()).endsWith("/later");
      Publish after = client.readPublish();
      assertThat(after.topic()).as("no further copy of the ignored command").endsWith("/later");
      assertThat(after.dup()).isTrue();
      client.puback(after.packetId());
      awaitStatus(later, "delivered");
    }
  }

  /**
   * MQTT 5 forbids re-sending within a connection. Another device on MQTT 3.1.1, sent a command
   * after the MQTT 5 one, serves as the clock: once it has been re-sent twice, the MQTT 5 command
   * would have been re-sent by then too; a PINGREQ then finds nothing before the PINGRESP.
   */
  @Test
  void v5IsNotResentWithinTheConnectionButOnResumeWithDupAndTheSamePacketId() throws Exception {
    DeviceCredentials five = newDevice(gateway, "nodup5");
    DeviceCredentials three = newDevice(gateway, "clock3");
    String fivePath;
    Publish first;
    try (RawMqttClient v5 = RawMqttClient.open(gateway.mqttPort(), true);
        RawMqttClient v3 = RawMqttClient.open(gateway.mqttPort(), false)) {
      assertThat(v5.connect(five.id(), five.secret(), true, 300L).code()).isZero();
      assertThat(v5.subscribe(1, "devices/" + five.id() + "/commands/+")).isEqualTo(1);
      assertThat(v3.connect(three.id(), three.secret(), true, null).code()).isZero();
      v3.subscribe(1, "devices/" + three.id() + "/commands/+");

      fivePath = sendCommand(five, "open", new JsonObject().put("valve", 1), 60);
      first = v5.readPublish();
      assertThat(first.dup()).isFalse();
      sendCommand(three, "tick", "1", 60);
      assertThat(v3.readPublish().dup()).isFalse();
      assertThat(v3.readPublish().dup()).isTrue();
      assertThat(v3.readPublish().dup()).isTrue();

      v5.pingreq();
      Packet next = v5.read();
      assertThat(next.type()).as("the next packet after PINGREQ (a PUBLISH would be a re-send)").isEqualTo(RawMqttClient.PINGRESP);
    }
    // the connection is gone without PUBACK; the session (300 s) keeps the command and its packet id
    try (RawMqttClient v5 = RawMqttClient.open(gateway.mqttPort(), true)) {
      Connack connack = v5.connect(five.id(), five.secret(), false, 300L);
      assertThat(connack.sessionPresent()).isTrue();
      Publish resent = v5.readPublish();
      assertThat(resent.dup()).isTrue();
      assertThat(resent.packetId()).isEqualTo(first.packetId());
      assertThat(resent.topic()).isEqualTo(first.topic());
      assertThat(new JsonObject(resent.payload()).getInteger("valve")).isEqualTo(1);
      v5.puback(resent.packetId());
      awaitStatus(fivePath, "delivered");
    }
  }

  @Test
  void anExpiredCommandIsWrittenExpiredWithoutBeingReadAndNeverSent() throws Exception {
    DeviceCredentials device = newDevice(gateway, "expire");
    Mqtt3BlockingClient setup = MqttFixture.connectedV3(gateway, device, false);
    setup.subscribeWith().topicFilter("devices/" + device.id() + "/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
    setup.disconnect();
    BlockingQueue<JsonObject> events = MqttFixture.record(gateway, Addresses.DEVICE_EVENTS);
    String stale = sendCommand(device, "stale", "old", 1);

    // nobody reads the command: the sweep writes its expiry and says so
    JsonObject expired = MqttFixture.next(events, device.id(), "command");
    assertThat(expired.getString("status")).isEqualTo("expired");
    assertThat(stale).endsWith(expired.getString("command_id"));
    assertThat(gateway.get(stale, gateway.adminToken()).json().getString("status")).isEqualTo("expired");

    Mqtt3BlockingClient client = MqttFixture.v3(gateway, device.id());
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(client.connectWith().cleanSession(false).simpleAuth().username(device.id())
          .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().isSessionPresent()).isTrue();
      sendCommand(device, "fresh", "new", 60);
      // queued commands go out oldest first: the expired one would come before this one
      Mqtt3Publish first = publishes.receive(15, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing delivered"));
      assertThat(first.getTopic().toString()).endsWith("/commands/fresh");
    } finally {
      client.disconnect();
    }
    assertThat(gateway.get(stale, gateway.adminToken()).json().getString("status")).isEqualTo("expired");
  }

  @Test
  void sessionAndItsSubscriptionOutliveAGatewayRestart() throws Exception {
    Path dir = Files.createTempDirectory("codex32-mqtt-restart");
    DeviceCredentials device;
    String path;
    try (TestGateway before = TestGateway.start(dir, ENV)) {
      device = newDevice(before, "restart");
      Mqtt3BlockingClient client = MqttFixture.connectedV3(before, device, false);
      client.subscribeWith().topicFilter("devices/" + device.id() + "/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
      client.disconnect();
      Response sent = before.send("POST", "/api/v1/devices/" + device.id() + "/commands",
          new JsonObject().put("name", "calibrate").put("payload", "zero"), before.adminToken());
      assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
      path = sent.header("Location");
    }
    try (TestGateway after = TestGateway.start(dir, ENV)) {
      Mqtt3BlockingClient client = MqttFixture.v3(after, device.id());
      try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(client.connectWith().cleanSession(false).simpleAuth().username(device.id())
            .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().isSessionPresent()).isTrue();
        Mqtt3Publish command = publishes.receive(15, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command delivered"));
        assertThat(command.getTopic().toString()).isEqualTo("devices/" + device.id() + "/commands/calibrate");
        MqttFixture.eventually(() -> Optional.of(after.get(path, after.adminToken()).json())
            .filter(c -> "delivered".equals(c.getString("status"))));
      } finally {
        client.disconnect();
      }
    }
  }

  @Test
  void deletingABotClosesItsMqttConnection() {
    Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "mqtt-doomed")
        .put("command", new JsonArray().add("sh").add("-c").add("true")), gateway.adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String token = gateway.botToken("mqtt-doomed");
    Mqtt5BlockingClient bot = MqttFixture.v5(gateway, "mqtt-doomed");
    bot.connectWith().simpleAuth().username("mqtt-doomed").password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    assertThat(bot.getState().isConnected()).isTrue();

    assertThat(gateway.delete("/api/v1/bots/mqtt-doomed", gateway.adminToken()).status()).isEqualTo(204);
    MqttFixture.eventually(() -> Optional.of(bot.getState().isConnected()).filter(connected -> !connected));
    Throwable again = catchThrowable(() -> MqttFixture.v5(gateway, "mqtt-doomed").connectWith().simpleAuth().username("mqtt-doomed")
        .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    assertThat(again).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
        e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Connects, disconnects; whether the CONNACK said session present. */
  private static boolean connectV3(DeviceCredentials device, boolean cleanSession) {
    Mqtt3BlockingClient client = MqttFixture.v3(gateway, device.id());
    boolean present = client.connectWith().cleanSession(cleanSession).simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().isSessionPresent();
    client.disconnect();
    return present;
  }

  /** Connects, disconnects; the CONNACK. */
  private static Mqtt5ConnAck connectV5(DeviceCredentials device, boolean cleanStart, long sessionExpiry) {
    Mqtt5BlockingClient client = MqttFixture.v5(gateway, device.id());
    Mqtt5ConnAck connack = client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(sessionExpiry).simpleAuth()
        .username(device.id()).password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    client.disconnect();
    return connack;
  }

  /** Sends a command through the API; its path. */
  private static String sendCommand(DeviceCredentials device, String name, Object payload, int ttlSeconds) {
    Response sent = gateway.send("POST", "/api/v1/devices/" + device.id() + "/commands",
        new JsonObject().put("name", name).put("payload", payload).put("ttl_s", ttlSeconds), gateway.adminToken());
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    return "/api/v1/devices/" + device.id() + "/commands/" + sent.json().getString("id");
  }

  private static void awaitStatus(String path, String status) {
    MqttFixture.eventually(() -> Optional.of(gateway.get(path, gateway.adminToken()).json())
        .filter(c -> status.equals(c.getString("status"))));
  }
}
