package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/**
 * What this server really supports, advertised in the MQTT 5 CONNACK so that clients do not try the
 * rest: QoS up to 1, no retained messages, no shared subscriptions, no subscription identifiers or
 * topic aliases; wildcards only under a device's own command prefix (allowed, so advertised as
 * available; the ACL refuses the others).
 */
final class ServerLimits {

  static final int MAX_QOS = 1;

  private ServerLimits() {
  }

  static MqttProperties connack(MqttConfig config) {
    MqttProperties props = new MqttProperties();
    props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), MAX_QOS));
    props.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
    props.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
    props.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
    props.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
    props.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 0));
    props.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.receiveMaximum()));
    props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), config.maxMessageBytes()));
    return props;
  }
}
