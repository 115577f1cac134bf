package io.codex32.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Devices registered through the REST API, HiveMQ clients for them, raw MQTT packets and a bus recorder. */
final class MqttFixture {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private MqttFixture() {
  }

  /** A device the gateway knows: its id and its secret. */
  record DeviceCredentials(String id, String secret) {
  }

  static DeviceCredentials newDevice(TestGateway gateway, String prefix) {
    String id = prefix + "-" + SEQUENCE.incrementAndGet();
    Response created = gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", id), gateway.adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new DeviceCredentials(id, created.json().getString("secret"));
  }

  static Mqtt3BlockingClient v3(TestGateway gateway, String clientId) {
    return MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1").serverPort(gateway.mqttPort())
        .buildBlocking();
  }

  static Mqtt5BlockingClient v5(TestGateway gateway, String clientId) {
    return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(gateway.mqttPort())
        .buildBlocking();
  }

  static Mqtt3BlockingClient connectedV3(TestGateway gateway, DeviceCredentials device, boolean cleanSession) {
    Mqtt3BlockingClient client = v3(gateway, device.id());
    client.connectWith().cleanSession(cleanSession).simpleAuth().username(device.id())
        .password(device.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    return client;
  }

  static Mqtt5BlockingClient connectedV5(TestGateway gateway, DeviceCredentials device) {
    Mqtt5BlockingClient client = v5(gateway, device.id());
    client.connectWith().simpleAuth().username(device.id()).password(device.secret().getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    return client;
  }

  /** Every message published on {@code address} from now on. */
  static BlockingQueue<JsonObject> record(TestGateway gateway, String address) {
    BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    try {
      gateway.vertx().eventBus().<JsonObject>consumer(address, m -> queue.add(m.body())).completion().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return queue;
  }

  static JsonObject next(BlockingQueue<JsonObject> queue, String deviceId, String type) {
    return Await.until(() -> nextMatching(queue, deviceId, type), Objects::nonNull,
        "a " + (type == null ? "" : type + " ") + "message of " + deviceId + " on the bus");
  }

  /** The first queued message of {@code deviceId} (and {@code type}, unless null), dropping the others before it; null if none. */
  private static JsonObject nextMatching(BlockingQueue<JsonObject> queue, String deviceId, String type) {
    for (JsonObject message = queue.poll(); message != null; message = queue.poll()) {
      if (deviceId.equals(message.getString("device_id")) && (type == null || type.equals(message.getString("type")))) {
        return message;
      }
    }
    return null;
  }

  /** Polls until the supplier has a value and returns it; an assertion error after {@link Await}'s deadline. */
  static <T> T eventually(Supplier<Optional<T>> probe) {
    return Await.until(probe, Optional::isPresent, "a value from the probe").get();
  }

  /** MQTT 3.1.1 CONNECT, optionally with a will. */
  static byte[] connectPacket(String clientId, String username, String password, String willTopic, String willPayload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    int flags = 0x80 | 0x40 | 0x02 | (willTopic != null ? 0x04 : 0);
    body.write(flags);
    body.write(0);
    body.write(30);
    writeString(body, clientId);
    if (willTopic != null) {
      writeString(body, willTopic);
      writeString(body, willPayload);
    }
    writeString(body, username);
    writeString(body, password);
    return packet(0x10, body.toByteArray());
  }

  /** MQTT 3.1.1 PUBLISH at QoS 0. */
  static byte[] publishPacket(String topic, byte[] payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, topic);
    body.writeBytes(payload);
    return packet(0x30, body.toByteArray());
  }

  /** MQTT 3.1.1 PUBLISH at QoS 1, with the DUP flag when {@code dup}. */
  static byte[] publishQos1Packet(String topic, int packetId, boolean dup, byte[] payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, topic);
    body.write(packetId >> 8);
    body.write(packetId & 0xff);
    body.writeBytes(payload);
    return packet(0x32 | (dup ? 0x08 : 0), body.toByteArray());
  }

  private static byte[] packet(int header, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xff);
    out.writeBytes(bytes);
  }
}
