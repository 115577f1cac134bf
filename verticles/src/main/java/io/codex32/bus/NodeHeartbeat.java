package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a node announces on {@code codex32.nodes.heartbeat}: who it is, what it has, how loaded it is
 * and how many bots it runs. Read defensively: a heartbeat comes from another process, so ids are
 * checked, texts and labels bounded. An edge node's cluster link adds what it counted
 * ({@code link}; null for a gateway's own node).
 */
public record NodeHeartbeat(String id, String hostname, Map<String, String> labels, int cores, long memoryMb, double cpuPercent,
    long memoryUsedMb, double loadAverage, String version, int bots, Instant time, LinkCounters link) implements BusMessage {

  static final String ID = "id";
  static final String HOSTNAME = "hostname";
  static final String LABELS = "labels";
  static final String CAPACITY = "capacity";
  static final String CORES = "cores";
  static final String MEMORY_MB = "memory_mb";
  static final String LOAD = "load";
  static final String CPU_PERCENT = "cpu_percent";
  static final String MEMORY_USED_MB = "memory_used_mb";
  static final String LOAD_AVERAGE = "load_average";
  static final String VERSION = "version";
  static final String BOTS = "bots";
  static final String TIME = "time";
  static final String LINK = "link";
  static final String EVENTS_DROPPED = "events_dropped";
  static final String EVENTS_REPLAYED = "events_replayed";

  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final int MAX_TEXT = 255;
  private static final int MAX_LABELS = 64;

  public NodeHeartbeat {
    labels = Map.copyOf(labels);
  }

  /** Bot status events an edge node lost (its buffer overflowed while no gateway was reachable) and sent again on joining. */
  public record LinkCounters(long eventsDropped, long eventsReplayed) {
  }

  /** The same heartbeat with what the node's cluster link counted. */
  public NodeHeartbeat withLink(LinkCounters counters) {
    return new NodeHeartbeat(id, hostname, labels, cores, memoryMb, cpuPercent, memoryUsedMb, loadAverage, version, bots, time, counters);
  }

  @Override
  public JsonObject toJson() {
    return Contract.body()
        .put(ID, id)
        .put(HOSTNAME, hostname)
        .put(LABELS, new JsonObject(new LinkedHashMap<>(labels)))
        .put(CAPACITY, new JsonObject().put(CORES, cores).put(MEMORY_MB, memoryMb))
        .put(LOAD, new JsonObject().put(CPU_PERCENT, cpuPercent).put(MEMORY_USED_MB, memoryUsedMb).put(LOAD_AVERAGE, loadAverage))
        .put(VERSION, version)
        .put(BOTS, bots)
        .put(TIME, time.toString())
        .put(LINK, link == null ? null : new JsonObject().put(EVENTS_DROPPED, link.eventsDropped())
            .put(EVENTS_REPLAYED, link.eventsReplayed()));
  }

  /** The heartbeat in {@code body}; an {@link UnreadableMessage} when it is not a well-formed one. */
  public static NodeHeartbeat fromJson(Object body) {
    Fields f = Fields.of(body);
    return read(f, f.instant(TIME));
  }

  /** The heartbeat's fields in {@code f}, with {@code time} given (a {@link NodeEvent} does not carry it). */
  static NodeHeartbeat read(Fields f, Instant time) {
    String id = f.text(ID);
    if (!NODE_ID.matcher(id).matches()) {
      throw UnreadableMessage.malformed(ID, "a node id (" + NODE_ID.pattern() + ")");
    }
    JsonObject labels = f.optionalObject(LABELS);
    if (labels != null && labels.size() > MAX_LABELS) {
      throw UnreadableMessage.malformed(LABELS, "at most " + MAX_LABELS + " labels");
    }
    Map<String, String> labelMap = new LinkedHashMap<>();
    if (labels != null) {
      labels.forEach(e -> labelMap.put(bounded(e.getKey()), bounded(String.valueOf(e.getValue()))));
    }
    Fields capacity = nested(f, CAPACITY);
    Fields load = nested(f, LOAD);
    Fields link = f.optionalObject(LINK) == null ? null : nested(f, LINK);
    return new NodeHeartbeat(id, bounded(orEmpty(f.optionalText(HOSTNAME))), labelMap, orZero(capacity.optionalInt(CORES)),
        orZero(capacity.optionalNumber(MEMORY_MB)), load.decimal(CPU_PERCENT, 0), orZero(load.optionalNumber(MEMORY_USED_MB)),
        load.decimal(LOAD_AVERAGE, 0), bounded(orEmpty(f.optionalText(VERSION))), orZero(f.optionalInt(BOTS)), time,
        link == null ? null : new LinkCounters(orZero(link.optionalNumber(EVENTS_DROPPED)), orZero(link.optionalNumber(EVENTS_REPLAYED))));
  }

  private static Fields nested(Fields f, String key) {
    JsonObject object = f.optionalObject(key);
    return Fields.of(object == null ? new JsonObject() : object);
  }

  private static String bounded(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
