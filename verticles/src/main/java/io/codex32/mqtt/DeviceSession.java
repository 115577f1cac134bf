package io.codex32.mqtt;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.DeviceEvent;
import io.codex32.bus.DevicePublish;
import io.codex32.bus.DeviceSessionControl;
import io.codex32.bus.DeviceTelemetry;
import io.codex32.bus.UnreadableMessage;
import io.codex32.devices.Device;
import io.codex32.devices.DeviceCommand;
import io.codex32.devices.DeviceTopics;
import io.codex32.devices.SavedSession;
import io.codex32.security.Secrets;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated device connection, living on its verticle's event loop (no locks). Inbound:
 * ACL, then the bus, then PUBACK. Outbound: commands from the device's bus address, published QoS 1
 * on topics the device subscribed to ({@link CommandOutbox}), marked delivered on PUBACK.
 *
 * <p>Session: a persistent one ({@link SessionTerms}) is stored ({@link SessionWriter}) with its
 * subscriptions and unacknowledged packet ids, SUBACK only once stored; on resume the CONNACK says
 * session present, the subscriptions apply without a new SUBSCRIBE and the queued commands go out
 * at once. On disconnect it is kept for its expiry interval. Commands queued while the device was
 * away reach persistent sessions only: a clean one gets what is sent while it is connected.
 */
final class DeviceSession {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
  private static final int RECENT_IDS = 256;
  /** Outbound window towards an MQTT 5 client that allows more: plenty for commands, and it keeps packet ids free. */
  private static final int MAX_WINDOW = 1024;

  private final Vertx vertx;
  private final MqttEndpoint endpoint;
  private final Device device;
  private final MqttServices services;
  private final String connectionId = Secrets.randomHex(8);
  private final boolean v5;
  private final SessionTerms terms;
  private final RecentPacketIds acked = new RecentPacketIds(RECENT_IDS);
  private final Subscriptions subscriptions;
  private final CommandOutbox outbox;
  /** Completed once the connection is closed and its session stored. */
  private final Promise<Void> released = Promise.promise();
  private MessageConsumer<Object> control;
  /** Null while the session lasts only as long as the connection. */
  private SessionWriter stored;
  private long expirySeconds;
  private Instant expiresAt;
  private boolean disconnected;
  private boolean closed;

  DeviceSession(Vertx vertx, MqttEndpoint endpoint, Device device, MqttServices services) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.device = device;
    this.services = services;
    this.v5 = endpoint.protocolVersion() >= ConnectRefusal.MQTT_5;
    this.terms = SessionTerms.of(endpoint, services.config());
    this.expirySeconds = terms.expirySeconds();
    this.subscriptions = new Subscriptions(device.id(), v5);
    this.outbox = new CommandOutbox(vertx, endpoint, services.clock(), window(),
        v5 ? 0 : services.config().commandRetryMs(), this::saveSession);
  }

  /**
   * Takes the session over from the device's previous connection (on any instance) once that one
   * has stored it, listens on the device's bus address, resumes or starts the stored session, and
   * only then accepts: a command sent right after CONNACK is not lost.
   */
  void start() {
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.publishAcknowledgeHandler(this::onPuback);
    endpoint.disconnectMessageHandler(this::onDisconnect);
    endpoint.exceptionHandler(e -> LOG.debug("device {}: {}", device.id(), e.toString()));
    endpoint.closeHandler(v -> onClose());
    services.control().takeOver(device.id(), connectionId)
        .compose(v -> {
          control = vertx.eventBus().consumer(Addresses.deviceCommands(device.id()), this::onControl);
          return control.completion();
        })
        .compose(v -> {
          // any other connection of the device still around (two CONNECTs at once) goes too
          services.control().disconnect(device.id(), "session taken over", connectionId);
          return openSession();
        })
        .onSuccess(this::accept)
        .onFailure(e -> {
          LOG.warn("device {}: session could not be opened: {}", device.id(), e.getMessage());
          if (control != null) {
            control.unregister();
          }
          if (!closed) {
            endpoint.reject(ConnectRefusal.UNAVAILABLE.code(endpoint.protocolVersion()));
          }
        });
  }

  /** The stored session this connection resumes (null: none), after claiming it if it is to be kept. */
  private Future<SavedSession> openSession() {
    Future<SavedSession> previous = terms.cleanStart()
        ? services.sessions().discard(device.id()).map(v -> null)
        : services.sessions().find(device.id());
    return previous.compose(found -> {
      if (found == null && expirySeconds == 0) {
        return Future.succeededFuture(null);
      }
      SavedSession claim = new SavedSession(device.id(), connectionId, expirySeconds, null,
          found == null ? Map.of() : found.subscriptions(), found == null ? Map.of() : found.inflight(), 0);
      return services.sessions().claim(claim).map(claimed -> {
        stored = new SessionWriter(services.sessions(), claimed, this::snapshot);
        return found;
      });
    });
  }

  private void accept(SavedSession resumed) {
    if (closed) {
      // the client left before CONNACK: a session claimed meanwhile starts expiring now
      release();
      return;
    }
    boolean present = resumed != null;
    if (present) {
      subscriptions.restore(resumed.subscriptions());
    }
    if (v5) {
      endpoint.accept(present, terms.connack(services.config()));
    } else {
      endpoint.accept(present);
    }
    publishOnline();
    LOG.info("device {} connected (MQTT {}, clean {}, session expiry {} s, session present {})", device.id(),
        endpoint.protocolVersion(), terms.cleanStart(), expirySeconds, present);
    if (present) {
      deliverQueued(resumed.inflight());
    }
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
    hand(kind, new DevicePublish(device.id(), message.topicName(), payload(message.payload()), message.qosLevel().value(),
        services.clock().instant(), false));
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

  /** SUBACK once a persistent session has stored the new subscriptions; then what waited for them goes out. */
  private void onSubscribe(MqttSubscribeMessage message) {
    Subscriptions.Change change = subscriptions.subscribe(message.topicSubscriptions());
    saveSession()
        .onSuccess(v -> {
          change.acknowledge(endpoint, message.messageId());
          if (stored != null && change.grantedAny()) {
            deliverQueued(Map.of());
          }
        })
        .onFailure(e -> {
          subscriptions.undo(change);
          change.refuse(endpoint, message.messageId());
        });
  }

  private void onUnsubscribe(MqttUnsubscribeMessage message) {
    List<Boolean> existed = subscriptions.unsubscribe(message.topics());
    saveSession().onComplete(saved -> {
      if (v5) {
        List<MqttUnsubAckReasonCode> codes = existed.stream().map(e -> saved.failed() ? MqttUnsubAckReasonCode.UNSPECIFIED_ERROR
            : e ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED).toList();
        endpoint.unsubscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.unsubscribeAcknowledge(message.messageId());
      }
    });
  }

  private void onControl(Message<Object> message) {
    DeviceSessionControl order;
    try {
      order = DeviceSessionControl.fromJson(message.body());
    } catch (UnreadableMessage e) {
      if (message.replyAddress() != null) {
        BusFailures.fail(message, e, "device_control_failed");
      } else {
        LOG.warn("device {}: control message dropped: {}", device.id(), e.getMessage());
      }
      return;
    }
    if (order instanceof DeviceSessionControl.Deliver deliver) {
      deliver(DeviceCommand.offered(deliver), null);
    } else if (order instanceof DeviceSessionControl.Disconnect disconnect && !connectionId.equals(disconnect.keep())) {
      LOG.info("device {} disconnected: {}", device.id(), disconnect.reason());
      drop(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnect.reason());
    } else if (order instanceof DeviceSessionControl.TakeOver) {
      if (!closed) {
        drop(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "a new connection of the device");
      }
      released.future().onComplete(done -> message.reply(null));
    }
  }

  /** The device's queued commands, oldest first; those sent by an earlier connection under {@code earlierIds} go again under them. */
  private void deliverQueued(Map<String, Integer> earlierIds) {
    services.commands().pending(device.id())
        .onSuccess(list -> list.forEach(command -> deliver(command, earlierIds.get(command.id()))))
        .onFailure(e -> LOG.warn("device {}: queued commands not read: {}", device.id(), e.getMessage()));
  }

  /** A pending command to a subscribed topic, unless it is already under way on this connection. */
  private void deliver(DeviceCommand command, Integer earlierPacketId) {
    if (endpoint.isConnected() && !closed && command.pendingAt(services.clock().instant()) && subscriptions.matches(command.topic())) {
      outbox.offer(command, earlierPacketId);
    }
  }

  private void onPuback(Integer packetId) {
    DeviceCommand command = outbox.acknowledged(packetId);
    if (command != null) {
      services.commands().markDelivered(command.id())
          .onFailure(e -> LOG.warn("could not mark command {} delivered: {}", command.id(), e.getMessage()));
    }
  }

  /** MQTT 5 DISCONNECT may change the session expiry interval, but not from 0 to more (3.14.2.2.2). */
  private void onDisconnect(MqttDisconnectMessage message) {
    disconnected = true;
    Long asked = v5 ? SessionTerms.expiryOf(message.properties()) : null;
    if (asked == null) {
      return;
    }
    if (terms.expirySeconds() == 0 && asked > 0) {
      LOG.info("device {}: DISCONNECT may not raise a session expiry interval of 0; the session ends", device.id());
      return;
    }
    expirySeconds = Math.min(asked, services.config().maxSessionExpirySeconds());
  }

  private void onClose() {
    closed = true;
    outbox.close();
    boolean lost = !disconnected;
    if (lost && endpoint.will() != null && endpoint.will().isWillFlag()) {
      publishWill();
    }
    release();
    publishOffline(lost ? DeviceEvent.OfflineReason.CONNECTION_LOST : DeviceEvent.OfflineReason.DISCONNECTED);
    LOG.info("device {} {}", device.id(), lost ? "connection lost" : "disconnected");
  }

  /** Stores the session's end, then stops listening: until then a takeover waits (see {@link #onControl}). */
  private void release() {
    endStoredSession().onComplete(done -> {
      released.tryComplete();
      if (control != null) {
        control.unregister();
      }
    });
  }

  /** From now on the stored session's expiry interval runs (0: it ends now). */
  private Future<Void> endStoredSession() {
    if (stored == null) {
      return Future.succeededFuture();
    }
    expiresAt = services.clock().instant().plusSeconds(expirySeconds);
    return saveSession();
  }

  /** Stores the session's state if it is kept beyond the connection; else nothing to do. */
  private Future<Void> saveSession() {
    return stored == null ? Future.succeededFuture() : stored.save();
  }

  private SavedSession snapshot() {
    return new SavedSession(device.id(), connectionId, expirySeconds, expiresAt, subscriptions.granted(), outbox.unacknowledged(), 0);
  }

  /** An MQTT 5 client's receive maximum (65535 when absent), within {@link #MAX_WINDOW}; for 3.1.1 our own limit. */
  private int window() {
    if (!v5) {
      return services.config().receiveMaximum();
    }
    MqttProperties connect = endpoint.connectProperties();
    MqttProperty<?> max = connect == null ? null : connect.getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value());
    return Math.min(max != null && max.value() instanceof Integer n && n > 0 ? n : 65535, MAX_WINDOW);
  }

  /** The will goes where the device's own PUBLISH to that topic would go (checked at CONNECT). */
  private void publishWill() {
    String topic = endpoint.will().getWillTopic();
    hand(DeviceTopics.publishKind(device.id(), topic), new DevicePublish(device.id(), topic, payload(endpoint.will().getWillMessage()),
        endpoint.will().getWillQos(), services.clock().instant(), true));
  }

  /** What the device published, on the bus: telemetry to its address, anything else as a device event. */
  private void hand(String kind, DevicePublish publish) {
    if (DeviceTopics.TELEMETRY.equals(kind)) {
      vertx.eventBus().publish(Addresses.DEVICE_TELEMETRY, new DeviceTelemetry(publish).toJson());
    } else {
      vertx.eventBus().publish(Addresses.DEVICE_EVENTS, new DeviceEvent.Published(publish).toJson());
    }
  }

  private void publishOnline() {
    vertx.eventBus().publish(Addresses.DEVICE_EVENTS, DeviceEvent.Connection.online(device.id(), connectionId,
        services.clock().instant()).toJson());
  }

  private void publishOffline(DeviceEvent.OfflineReason reason) {
    vertx.eventBus().publish(Addresses.DEVICE_EVENTS, DeviceEvent.Connection.offline(device.id(), connectionId, reason,
        services.clock().instant()).toJson());
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
