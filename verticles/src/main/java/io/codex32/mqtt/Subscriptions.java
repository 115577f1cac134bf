package io.codex32.mqtt;

import io.codex32.devices.DeviceTopics;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's subscriptions (topic filter → granted QoS) under the ACL of {@link DeviceTopics}, at
 * most {@value #MAX_FILTERS} of them (they are kept in the stored session). A filter subscribed
 * again replaces the earlier subscription (MQTT 3.8.4).
 */
final class Subscriptions {

  static final int MAX_FILTERS = 32;
  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

  private final String deviceId;
  private final boolean v5;
  private final Map<String, Integer> filters = new LinkedHashMap<>();

  /** One SUBSCRIBE's outcome, topic by topic: the SUBACK codes, and what to restore should it be undone. */
  record Change(List<MqttSubAckReasonCode> codes, Map<String, Integer> before) {

    boolean grantedAny() {
      return codes.stream().anyMatch(c -> c == MqttSubAckReasonCode.GRANTED_QOS0 || c == MqttSubAckReasonCode.GRANTED_QOS1);
    }

    void acknowledge(MqttEndpoint endpoint, int messageId) {
      if (endpoint.protocolVersion() >= ConnectRefusal.MQTT_5) {
        endpoint.subscribeAcknowledge(messageId, codes, MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.subscribeAcknowledge(messageId, codes.stream().map(Change::v3).toList());
      }
    }

    /** Every topic of the SUBSCRIBE refused: the change could not be kept. */
    void refuse(MqttEndpoint endpoint, int messageId) {
      new Change(codes.stream().map(c -> MqttSubAckReasonCode.UNSPECIFIED_ERROR).toList(), before).acknowledge(endpoint, messageId);
    }

    private static MqttQoS v3(MqttSubAckReasonCode code) {
      return switch (code) {
        case GRANTED_QOS0 -> MqttQoS.AT_MOST_ONCE;
        case GRANTED_QOS1 -> MqttQoS.AT_LEAST_ONCE;
        default -> MqttQoS.FAILURE;
      };
    }
  }

  Subscriptions(String deviceId, boolean v5) {
    this.deviceId = deviceId;
    this.v5 = v5;
  }

  /** Adds what the ACL and the bound allow; QoS 2 is granted as 1 (the server's maximum). */
  Change subscribe(List<MqttTopicSubscription> requested) {
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    Map<String, Integer> before = new LinkedHashMap<>();
    for (MqttTopicSubscription sub : requested) {
      String filter = sub.topicName();
      if (!DeviceTopics.maySubscribe(deviceId, filter)) {
        LOG.warn("ACL: device {} may not subscribe to '{}'", deviceId, filter);
        codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      } else if (!filters.containsKey(filter) && filters.size() >= MAX_FILTERS) {
        LOG.warn("device {} may not hold more than {} subscriptions; '{}' refused", deviceId, MAX_FILTERS, filter);
        codes.add(v5 ? MqttSubAckReasonCode.QUOTA_EXCEEDED : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
      } else {
        int granted = sub.qualityOfService() == MqttQoS.AT_MOST_ONCE ? 0 : 1;
        if (!before.containsKey(filter)) {
          before.put(filter, filters.get(filter));
        }
        filters.put(filter, granted);
        codes.add(granted == 0 ? MqttSubAckReasonCode.GRANTED_QOS0 : MqttSubAckReasonCode.GRANTED_QOS1);
      }
    }
    return new Change(codes, before);
  }

  /** Puts back what {@code change} replaced. */
  void undo(Change change) {
    change.before().forEach((filter, qos) -> {
      if (qos == null) {
        filters.remove(filter);
      } else {
        filters.put(filter, qos);
      }
    });
  }

  /** Removes the filters; for each, whether it was subscribed. */
  List<Boolean> unsubscribe(List<String> topics) {
    return topics.stream().map(t -> filters.remove(t) != null).toList();
  }

  /** The subscriptions of a resumed session, as stored (and so already checked against the ACL). */
  void restore(Map<String, Integer> stored) {
    stored.forEach((filter, qos) -> {
      if (DeviceTopics.maySubscribe(deviceId, filter) && filters.size() < MAX_FILTERS) {
        filters.put(filter, qos);
      }
    });
  }

  boolean matches(String topic) {
    return filters.keySet().stream().anyMatch(f -> TopicFilters.matches(f, topic));
  }

  Map<String, Integer> granted() {
    return new LinkedHashMap<>(filters);
  }
}
