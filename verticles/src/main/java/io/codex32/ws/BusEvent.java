package io.codex32.ws;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.BotLogLine;
import io.codex32.bus.Contract;
import io.codex32.bus.DeviceTelemetry;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.NodeEvent;
import io.codex32.bus.UnreadableMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event as clients see it, translated once from an event-bus message. {@code topic} is the
 * event's own, most specific topic ({@code bots/a}); {@code group} is a wider topic that also
 * receives it ({@code bots} for status events), or {@code null}.
 */
final class BusEvent {

  private static final Logger LOG = LoggerFactory.getLogger(BusEvent.class);

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

  /**
   * The events in a message on {@code address}; empty for messages that carry nothing a client can
   * use or that cannot be read. A frame's {@code data} is the message as it was before the bus
   * carried a contract version: the {@code "v"} key is taken out of the (consumer's own) body.
   */
  static List<BusEvent> from(String address, Object body) {
    try {
      return read(address, body);
    } catch (UnreadableMessage e) {
      LOG.warn("event on {} not shown to clients: {}", address, e.getMessage());
      return List.of();
    }
  }

  private static List<BusEvent> read(String address, Object body) {
    if (address.equals(Addresses.BOT_EVENTS)) {
      return botEvents(BotEvent.fromJson(body), (JsonObject) body);
    }
    if (address.equals(Addresses.NODE_EVENTS)) {
      NodeEvent.fromJson(body);
      return List.of(new BusEvent("nodes", null, "node", Contract.withoutVersion((JsonObject) body)));
    }
    if (address.equals(Addresses.DEVICE_TELEMETRY)) {
      String device = DeviceTelemetry.fromJson(body).publish().deviceId();
      return List.of(new BusEvent("devices/" + device + "/telemetry", null, "telemetry", Contract.withoutVersion((JsonObject) body)));
    }
    if (address.equals(Addresses.GPIO_EVENTS)) {
      String node = GpioEvent.fromJson(body).node();
      return List.of(new BusEvent("gpio/" + node, "gpio", "gpio", Contract.withoutVersion((JsonObject) body)));
    }
    if (address.startsWith(Addresses.botLogs(""))) {
      BotLogLine.fromJson(body);
      return List.of(new BusEvent("logs/" + address.substring(Addresses.botLogs("").length()), null, "log",
          Contract.withoutVersion((JsonObject) body)));
    }
    if (address.equals(Addresses.WORKFLOW_EVENTS) && body instanceof JsonObject json) {
      return List.of(new BusEvent("workflows", null, json.getString("type", "workflow"), json));
    }
    return List.of();
  }

  /**
   * Status events go to {@code bots} and {@code bots/<id>} as they were published; a metrics event
   * carries samples of several bots, so it is split and each sample goes to its bot's topic only.
   * The event is read as a record (to route it, and to drop what cannot be read), but each frame
   * shows the sample as it was published, so that a key a newer node adds reaches clients too.
   */
  private static List<BusEvent> botEvents(BotEvent event, JsonObject body) {
    if (event instanceof BotEvent.Metrics metrics) {
      JsonArray published = body.getJsonArray(BotEvent.SAMPLES);
      List<BusEvent> events = new ArrayList<>(metrics.samples().size());
      for (int i = 0; i < metrics.samples().size(); i++) {
        JsonObject data = new JsonObject().put("node", metrics.node()).put("time", body.getValue(BotEvent.TIME))
            .put("sample", published.getJsonObject(i));
        events.add(new BusEvent("bots/" + metrics.samples().get(i).botId(), null, "metrics", data));
      }
      return events;
    }
    BotEvent.Status status = (BotEvent.Status) event;
    return List.of(new BusEvent("bots/" + status.botId(), "bots", "status", Contract.withoutVersion(body)));
  }
}
