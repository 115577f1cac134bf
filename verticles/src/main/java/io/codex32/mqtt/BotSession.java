package io.codex32.mqtt;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotSessionControl;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.codex32.supervisor.HeartbeatReport;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
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
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bot connected with its CODEX32_BOT_TOKEN. Its ACL is two topics: it may publish
 * {@code bots/<id>/heartbeat} (payload: {@code {"status": ..., "metrics": {...}}}, plain text as
 * status, or nothing) and {@code bots/<id>/metrics} (payload: a metrics object), each the same as a
 * REST heartbeat. It may subscribe to nothing. The connection is closed when the bot is deleted
 * ({@link BotControl}). Lives on its verticle's event loop.
 */
final class BotSession {

  static final String HEARTBEAT = "heartbeat";
  static final String METRICS = "metrics";
  private static final Logger LOG = LoggerFactory.getLogger(BotSession.class);

  private final Vertx vertx;
  private final MqttEndpoint endpoint;
  private final String botId;
  private final MqttServices services;
  private final boolean v5;
  private MessageConsumer<Object> control;
  private boolean closed;

  BotSession(Vertx vertx, MqttEndpoint endpoint, String botId, MqttServices services) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.botId = botId;
    this.services = services;
    this.v5 = endpoint.protocolVersion() >= ConnectRefusal.MQTT_5;
  }

  /** The topic kind a bot may publish to ({@code heartbeat} or {@code metrics}), else null. */
  static String publishKind(String botId, String topic) {
    String base = "bots/" + botId + "/";
    if (topic == null || !topic.startsWith(base)) {
      return null;
    }
    String rest = topic.substring(base.length());
    return HEARTBEAT.equals(rest) || METRICS.equals(rest) ? rest : null;
  }

  /**
   * {@code stillValid}: the token check again, made once the deletion listener is registered, so
   * that a bot deleted between the CONNECT's check and then is refused too.
   */
  void start(Supplier<Future<?>> stillValid) {
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(m -> {
      if (v5) {
        endpoint.unsubscribeAcknowledge(m.messageId(), m.topics().stream().map(t -> MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED)
            .toList(), MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.unsubscribeAcknowledge(m.messageId());
      }
    });
    endpoint.exceptionHandler(e -> LOG.debug("bot {}: {}", botId, e.toString()));
    endpoint.closeHandler(v -> onClose());
    // listening before CONNACK: a deletion from then on closes the connection
    control = vertx.eventBus().consumer(Addresses.botMqtt(botId), this::onControl);
    control.completion()
        .recover(e -> Future.failedFuture(Codex32Exception.unavailable("bus_unavailable", "deletion listener not registered", e)))
        .compose(v -> stillValid.get())
        .onSuccess(v -> accept())
        .onFailure(e -> {
          LOG.info("MQTT CONNECT of bot {} refused: {}", botId, e.getMessage());
          if (!closed) {
            endpoint.reject(ConnectRefusal.of(e).code(endpoint.protocolVersion()));
          }
        });
  }

  private void accept() {
    if (closed) {
      return;
    }
    if (v5) {
      endpoint.accept(false, ServerLimits.connack(services.config()));
    } else {
      endpoint.accept(false);
    }
    LOG.info("bot {} connected over MQTT {}", botId, endpoint.protocolVersion());
  }

  private void onControl(Message<Object> message) {
    try {
      if (BotSessionControl.fromJson(message.body()) instanceof BotSessionControl.Disconnect disconnect) {
        drop(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnect.reason());
      }
    } catch (UnreadableMessage e) {
      LOG.warn("bot {}: control message dropped: {}", botId, e.getMessage());
    }
  }

  private void onClose() {
    closed = true;
    control.unregister();
    LOG.info("bot {} left MQTT", botId);
  }

  private void onPublish(MqttPublishMessage message) {
    if (message.qosLevel().value() > ServerLimits.MAX_QOS) {
      drop(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS 2 PUBLISH to " + message.topicName());
      return;
    }
    String kind = publishKind(botId, message.topicName());
    if (kind == null) {
      LOG.warn("ACL: bot {} may not publish to '{}'", botId, message.topicName());
      if (v5 && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
        endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
      } else {
        drop(MqttDisconnectReasonCode.NOT_AUTHORIZED, "publish to " + message.topicName());
      }
      return;
    }
    Future.succeededFuture(message.payload())
        .map(payload -> HeartbeatReport.fromJson(heartbeatOf(kind, payload)))
        .onSuccess(report -> services.bots().heartbeat(botId, report))
        .onComplete(done -> {
          if (done.failed()) {
            LOG.info("bot {}: heartbeat on {} refused: {}", botId, message.topicName(), done.cause().getMessage());
          }
          if (message.qosLevel() != MqttQoS.AT_LEAST_ONCE) {
            return;
          }
          if (done.failed() && v5) {
            endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, MqttProperties.NO_PROPERTIES);
          } else {
            endpoint.publishAcknowledge(message.messageId());
          }
        });
  }

  /** A heartbeat's body from an MQTT payload; something the REST heartbeat would refuse stays refusable. */
  private static JsonObject heartbeatOf(String kind, Buffer payload) {
    String text = payload == null ? "" : payload.toString(StandardCharsets.UTF_8).trim();
    Object json;
    try {
      json = text.isEmpty() ? null : Json.decodeValue(text);
    } catch (DecodeException e) {
      json = text;
    }
    if (METRICS.equals(kind)) {
      return new JsonObject().put("metrics", json == null ? new JsonObject() : json);
    }
    if (json instanceof JsonObject object) {
      return new JsonObject().put("status", object.getValue("status")).put("metrics", object.getValue("metrics"));
    }
    return json == null ? new JsonObject() : new JsonObject().put("status", json instanceof String s ? s : Json.encode(json));
  }

  private void onSubscribe(MqttSubscribeMessage message) {
    List<MqttQoS> v3Codes = new ArrayList<>();
    List<MqttSubAckReasonCode> v5Codes = new ArrayList<>();
    for (MqttTopicSubscription sub : message.topicSubscriptions()) {
      LOG.warn("ACL: bot {} may not subscribe to '{}'", botId, sub.topicName());
      v3Codes.add(MqttQoS.FAILURE);
      v5Codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
    }
    if (v5) {
      endpoint.subscribeAcknowledge(message.messageId(), v5Codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.subscribeAcknowledge(message.messageId(), v3Codes);
    }
  }

  private void drop(MqttDisconnectReasonCode reason, String why) {
    LOG.info("closing MQTT connection of bot {} ({}): {}", botId, reason, why);
    if (v5 && endpoint.isConnected()) {
      endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    }
    endpoint.close();
  }
}
