package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.mqtt.MqttEndpoint;

/**
 * What a CONNECT asks of its session, within {@code mqtt.max_session_expiry_s}: start clean (drop
 * any stored session) or resume, and how many seconds the session outlives the connection. MQTT
 * 3.1.1: clean session false keeps the session for the cap, true for the connection only. MQTT 5:
 * clean start and session expiry interval are independent; the interval is the client's (absent =
 * 0 = ends with the connection), lowered to the cap.
 */
record SessionTerms(boolean cleanStart, long expirySeconds, long requestedSeconds) {

  static SessionTerms of(MqttEndpoint endpoint, MqttConfig config) {
    long cap = config.maxSessionExpirySeconds();
    if (endpoint.protocolVersion() < ConnectRefusal.MQTT_5) {
      long expiry = endpoint.isCleanSession() ? 0 : cap;
      return new SessionTerms(endpoint.isCleanSession(), expiry, expiry);
    }
    Long requested = expiryOf(endpoint.connectProperties());
    long seconds = requested == null ? 0 : requested;
    return new SessionTerms(endpoint.isCleanSession(), Math.min(seconds, cap), seconds);
  }

  /** The session expiry interval of a v5 CONNECT or DISCONNECT (an unsigned 32-bit number), null when absent. */
  static Long expiryOf(MqttProperties properties) {
    MqttProperty<?> property = properties == null ? null : properties.getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    return property != null && property.value() instanceof Integer seconds ? Integer.toUnsignedLong(seconds) : null;
  }

  /** A v5 client asked for longer than the cap: the CONNACK tells it the interval in force (MQTT 5, 3.2.2.3.2). */
  boolean capped() {
    return requestedSeconds > expirySeconds;
  }

  /** The CONNACK's properties: the server's limits, plus the session expiry interval when it was lowered. */
  MqttProperties connack(MqttConfig config) {
    MqttProperties properties = ServerLimits.connack(config);
    if (capped()) {
      properties.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) expirySeconds));
    }
    return properties;
  }
}
