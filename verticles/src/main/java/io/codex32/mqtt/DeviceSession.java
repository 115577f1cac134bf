package io.codex32.mqtt;

import io.codex32.bus.Addresses;
import io.codex32.devices.Device;
import io.codex32.devices.DeviceCommand;
import io.codex32.devices.DeviceControl;
import io.codex32.devices.DeviceTopics;
import io.codex32.security.Secrets;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated device connection, living on its verticle's event loop (no locks). Inbound:
 * ACL, then the bus, then PUBACK. Outbound: commands from the device's bus address, published QoS 1
 * on topics the device subscribed to, marked delivered on PUBACK.
 */
final class DeviceSession {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
  private static final int RECENT_IDS = 256;

  private final Vertx vertx;
  private final MqttEndpoint endpoint;
  private final Device device;
  private final MqttServices services;
  private final String connectionId = Secrets.randomHex(8);
  private final boolean v5;
  private final RecentPacketIds acked = new RecentPacketIds(RECENT_IDS);
  private final Map<Integer, String> inflight = new HashMap<>();
  private final Set<String> offered = new HashSet<>();
  private final List<String> filters = new ArrayList<>();
  private MessageConsumer<JsonObject> control;
  private boolean disconnected;

  DeviceSession(Vertx vertx, MqttEndpoint endpoint, Device device, MqttServices services) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.device = device;
    this.services = services;
    this.v5 = endpoint.protocolVersion() >= ConnectRefusal.MQTT_5;
  }

  /**
   * Listens on the device's bus address first, then accepts: a command sent right after CONNACK is
   * not lost. Any other session of the same device, on any instance, is told to go (session takeover).
   */
  void start() {
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(m -> {
      filters.removeAll(m.topics());
      if (v5) {
        endpoint.unsubscribeAcknowledge(m.messageId(), m.topics().stream().map(t -> MqttUnsubAckReasonCode.SUCCESS).toList(),
            MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.unsubscribeAcknowledge(m.messageId());
      }
    });
    endpoint.publishAcknowledgeHandler(this::onPuback);
    endpoint.disconnectHandler(v -> disconnected = true);
    endpoint.exceptionHandler(e -> LOG.debug("device {}: {}", device.id(), e.toString()));
    endpoint.closeHandler(v -> onClose());
    control = vertx.eventBus().consumer(Addresses.deviceCommands(device.id()), this::onControl);
    control.completion()
        .onSuccess(v -> {
          services.control().disconnect(device.id(), "session taken over", connectionId);
          if (v5) {
            endpoint.accept(false, ServerLimits.connack(services.config()));
          } else {
            endpoint.accept(false);
          }
          publishState("online", null);
          LOG.info("device {} connected (MQTT {}, clean session {})", device.id(), endpoint.protocolVersion(), endpoint.isCleanSession());
        })
        .onFailure(e -> endpoint.reject(ConnectRefusal.UNAVAILABLE.code(endpoint.protocolVersion())));
  }

  private void onPublish(MqttPublishMessage message) {
    String kind = DeviceTopics.publishKind(device.id(), message.topicName());
    if (message.qosLevel().value() > ServerLimits.MAX_QOS) {
      drop(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS 2 PUBLISH to " + message.topicName());
      return;
    }
    if (kind == null) {
      refusePublish(message);
      return;
    }
    boolean qos1 = message.qosLevel() == MqttQoS.AT_LEAST_ONCE;
    if (qos1 && message.isDup() && acked.contains(message.messageId())) {
      endpoint.publishAcknowledge(message.messageId());
      return;
    }
    JsonObject body = new JsonObject()
        .put("device_id", device.id())
        .put("topic", message.topicName())
        .put("payload", payload(message.payload()))
        .put("qos", message.qosLevel().value())
        .put("time", services.clock().instant().toString());
    if (DeviceTopics.TELEMETRY.equals(kind)) {
      vertx.eventBus().publish(Addresses.DEVICE_TELEMETRY, body);
    } else {
      vertx.eventBus().publish(Addresses.DEVICE_EVENTS, body.put("type", "event"));
    }
    if (qos1) {
      // the message is on the bus now; only then does the device learn it may forget it
      acked.release(message.messageId());
      acked.add(message.messageId());
      endpoint.publishAcknowledge(message.messageId());
    }
  }

  /** v5 QoS 1: PUBACK "not authorized"; otherwise (no reason code to give) the connection is closed. */
  private void refusePublish(MqttPublishMessage message) {
    LOG.warn("ACL: device {} may not publish to '{}'", device.id(), message.topicName());
    if (v5 && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
    } else {
      drop(MqttDisconnectReasonCode.NOT_AUTHORIZED, "publish to " + message.topicName());
    }
  }

  private void onSubscribe(MqttSubscribeMessage message) {
    List<MqttQoS> v3Codes = new ArrayList<>();
    List<MqttSubAckReasonCode> v5Codes = new ArrayList<>();
    for (MqttTopicSubscription sub : message.topicSubscriptions()) {
      String filter = sub.topicName();
      if (DeviceTopics.maySubscribe(device.id(), filter)) {
        MqttQoS granted = sub.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
        filters.add(filter);
        v3Codes.add(granted);
        v5Codes.add(granted == MqttQoS.AT_MOST_ONCE ? MqttSubAckReasonCode.GRANTED_QOS0 : MqttSubAckReasonCode.GRANTED_QOS1);
      } else {
        LOG.warn("ACL: device {} may not subscribe to '{}'", device.id(), filter);
        v3Codes.add(MqttQoS.FAILURE);
        v5Codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      }
    }
    if (v5) {
      endpoint.subscribeAcknowledge(message.messageId(), v5Codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.subscribeAcknowledge(message.messageId(), v3Codes);
    }
    if (!endpoint.isCleanSession() && !filters.isEmpty()) {
      // a persistent session: what was queued while the device was away goes out now
      services.commands().pending(device.id()).onSuccess(list -> list.forEach(this::deliver));
    }
  }

  private void onControl(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (DeviceControl.TYPE_COMMAND.equals(body.getString("type"))) {
      deliver(DeviceCommand.fromMessage(body.getJsonObject("command")));
    } else if (DeviceControl.TYPE_DISCONNECT.equals(body.getString("type")) && !connectionId.equals(body.getString("keep"))) {
      LOG.info("device {} disconnected: {}", device.id(), body.getString("reason"));
      drop(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION, body.getString("reason"));
    }
  }

  /** QoS 1 to a subscribed topic, once per connection; the command stays queued until the PUBACK. */
  private void deliver(DeviceCommand command) {
    if (!endpoint.isConnected() || !command.pendingAt(services.clock().instant()) || offered.contains(command.id())
        || filters.stream().noneMatch(f -> TopicFilters.matches(f, command.topic()))) {
      return;
    }
    offered.add(command.id());
    Object payload = command.payload();
    Buffer bytes = payload instanceof String text ? Buffer.buffer(text) : Buffer.buffer(Json.encode(payload));
    endpoint.publish(command.topic(), bytes, MqttQoS.AT_LEAST_ONCE, false, false)
        .onSuccess(packetId -> inflight.put(packetId, command.id()))
        .onFailure(e -> offered.remove(command.id()));
  }

  private void onPuback(Integer packetId) {
    String commandId = inflight.remove(packetId);
    if (commandId != null) {
      services.commands().markDelivered(commandId)
          .onFailure(e -> LOG.warn("could not mark command {} delivered: {}", commandId, e.getMessage()));
    }
  }

  private void onClose() {
    if (control != null) {
      control.unregister();
    }
    boolean lost = !disconnected;
    if (lost && endpoint.will() != null && endpoint.will().isWillFlag()) {
      publishWill();
    }
    publishState("offline", lost ? "connection_lost" : "disconnected");
    LOG.info("device {} {}", device.id(), lost ? "connection lost" : "disconnected");
  }

  /** The will goes where the device's own PUBLISH to that topic would go (checked at CONNECT). */
  private void publishWill() {
    String topic = endpoint.will().getWillTopic();
    JsonObject body = new JsonObject().put("device_id", device.id()).put("topic", topic)
        .put("payload", payload(endpoint.will().getWillMessage())).put("qos", endpoint.will().getWillQos())
        .put("time", services.clock().instant().toString()).put("will", true);
    if (DeviceTopics.TELEMETRY.equals(DeviceTopics.publishKind(device.id(), topic))) {
      vertx.eventBus().publish(Addresses.DEVICE_TELEMETRY, body);
    } else {
      vertx.eventBus().publish(Addresses.DEVICE_EVENTS, body.put("type", "event"));
    }
  }

  private void publishState(String type, String reason) {
    vertx.eventBus().publish(Addresses.DEVICE_EVENTS, new JsonObject().put("type", type).put("device_id", device.id())
        .put("connection_id", connectionId).put("reason", reason).put("time", services.clock().instant().toString()));
  }

  private void drop(MqttDisconnectReasonCode reason, String why) {
    LOG.info("closing MQTT connection of device {} ({}): {}", device.id(), reason, why);
    if (v5 && endpoint.isConnected()) {
      endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    }
    endpoint.close();
  }

  /** JSON when the payload parses as JSON, else the text. */
  private static Object payload(Buffer buffer) {
    String text = buffer == null ? "" : buffer.toString(StandardCharsets.UTF_8);
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }
}
