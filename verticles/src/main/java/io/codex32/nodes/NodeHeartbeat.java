package io.codex32.nodes;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a node announces on {@code codex32.nodes.heartbeat}: who it is, what it has, how loaded it is
 * and how many bots it runs. Parsed defensively: a heartbeat comes from another process. An edge
 * node adds what its cluster link counted ({@code link}; null for a gateway's own node).
 */
public record NodeHeartbeat(String id, String hostname, Map<String, String> labels, int cores, long memoryMb, double cpuPercent,
    long memoryUsedMb, double loadAverage, String version, int bots, Instant time, LinkCounters link) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final int MAX_TEXT = 255;
  private static final int MAX_LABELS = 64;

  public NodeHeartbeat {
    labels = Map.copyOf(labels);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("hostname", hostname)
        .put("labels", new JsonObject(new LinkedHashMap<>(labels)))
        .put("capacity", new JsonObject().put("cores", cores).put("memory_mb", memoryMb))
        .put("load", new JsonObject().put("cpu_percent", cpuPercent).put("memory_used_mb", memoryUsedMb).put("load_average", loadAverage))
        .put("version", version)
        .put("bots", bots)
        .put("time", time.toString())
        .put("link", link == null ? null : new JsonObject().put("events_dropped", link.eventsDropped())
            .put("events_replayed", link.eventsReplayed()));
  }

  /** Bot status events an edge node lost (its buffer overflowed while no gateway was reachable) and sent again on joining. */
  public record LinkCounters(long eventsDropped, long eventsReplayed) {
  }

  /** The heartbeat, or {@code null} when the message is not a well-formed one. */
  public static NodeHeartbeat parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      return null;
    }
    try {
      String id = json.getString("id");
      JsonObject capacity = json.getJsonObject("capacity", new JsonObject());
      JsonObject load = json.getJsonObject("load", new JsonObject());
      JsonObject labels = json.getJsonObject("labels", new JsonObject());
      if (id == null || !ID.matcher(id).matches() || labels.size() > MAX_LABELS) {
        return null;
      }
      Map<String, String> labelMap = new LinkedHashMap<>();
      labels.forEach(e -> labelMap.put(bounded(e.getKey()), bounded(String.valueOf(e.getValue()))));
      return new NodeHeartbeat(id, bounded(json.getString("hostname", "")), labelMap,
          capacity.getInteger("cores", 0), capacity.getLong("memory_mb", 0L),
          load.getDouble("cpu_percent", 0.0), load.getLong("memory_used_mb", 0L), load.getDouble("load_average", 0.0),
          bounded(json.getString("version", "")), json.getInteger("bots", 0), Instant.parse(json.getString("time")),
          json.getJsonObject("link") == null ? null : new LinkCounters(json.getJsonObject("link").getLong("events_dropped", 0L),
              json.getJsonObject("link").getLong("events_replayed", 0L)));
    } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
      return null;
    }
  }

  private static String bounded(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
  }
}
