package io.codex32.ws;

import io.codex32.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One event as clients see it, translated once from an event-bus message. {@code topic} is the
 * event's own, most specific topic ({@code bots/a}); {@code group} is a wider topic that also
 * receives it ({@code bots} for status events), or {@code null}.
 */
final class BusEvent {

  private final String topic;
  private final String group;
  private final String type;
  private final JsonObject data;
  /** Everything but {@code seq} is the same for every client: encoded once, on first use. */
  private String head;
  private String body;

  BusEvent(String topic, String group, String type, JsonObject data) {
    this.topic = topic;
    this.group = group;
    this.type = type;
    this.data = data;
  }

  String topic() {
    return topic;
  }

  /** The frame for one client: {@code {"type","topic","timestamp","seq","data"}}. */
  String frame(long seq) {
    if (head == null) {
      String prefix = new JsonObject().put("type", type).put("topic", topic).put("timestamp", Instant.now().toString()).encode();
      head = prefix.substring(0, prefix.length() - 1) + ",\"seq\":";
      body = ",\"data\":" + data.encode() + "}";
    }
    return head + seq + body;
  }

  boolean matches(Set<String> subscriptions) {
    return subscriptions.contains(topic) || group != null && subscriptions.contains(group);
  }

  /** The events in a message on {@code address}; empty for messages that carry nothing a client can use. */
  static List<BusEvent> from(String address, Object body) {
    if (!(body instanceof JsonObject json)) {
      return List.of();
    }
    if (address.equals(Addresses.BOT_EVENTS)) {
      return botEvents(json);
    }
    if (address.equals(Addresses.NODE_EVENTS)) {
      return List.of(new BusEvent("nodes", null, "node", json));
    }
    if (address.equals(Addresses.DEVICE_TELEMETRY)) {
      String device = json.getString("device_id");
      return device == null ? List.of() : List.of(new BusEvent("devices/" + device + "/telemetry", null, "telemetry", json));
    }
    if (address.equals(Addresses.WORKFLOW_EVENTS)) {
      return List.of(new BusEvent("workflows", null, json.getString("type", "workflow"), json));
    }
    if (address.startsWith(Addresses.botLogs(""))) {
      return List.of(new BusEvent("logs/" + address.substring(Addresses.botLogs("").length()), null, "log", json));
    }
    return List.of();
  }

  /**
   * Status events go to {@code bots} and {@code bots/<id>}; a metrics event carries samples of
   * several bots, so it is split and each sample goes to its bot's topic only.
   */
  private static List<BusEvent> botEvents(JsonObject json) {
    String type = json.getString("type", "status");
    if (type.equals("metrics")) {
      JsonArray samples = json.getJsonArray("samples", new JsonArray());
      List<BusEvent> events = new ArrayList<>(samples.size());
      for (Object sample : samples) {
        if (sample instanceof JsonObject s && s.getString("bot_id") != null) {
          JsonObject data = new JsonObject().put("node", json.getString("node")).put("time", json.getString("time")).put("sample", s);
          events.add(new BusEvent("bots/" + s.getString("bot_id"), null, "metrics", data));
        }
      }
      return events;
    }
    String bot = json.getString("bot_id");
    return bot == null ? List.of() : List.of(new BusEvent("bots/" + bot, "bots", type, json));
  }
}
