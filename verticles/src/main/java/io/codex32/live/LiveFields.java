package io.codex32.live;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fields of a bot's live state and how they become the API view; shared by every
 * {@link BotLiveState} so that all of them show the same thing for the same events.
 */
final class LiveFields {

  /** Copied from each newer status event; a field the event lacks is cleared. */
  static final List<String> STATUS = List.of("status", "version", "pid", "started_at", "adopted", "restarts", "exit_code",
      "signal", "last_lines", "enforcement", "node", "last_heartbeat");
  /** Set from each metrics sample while the bot runs. */
  static final List<String> SAMPLE = List.of("cpu_load", "memory_usage_mb", "last_heartbeat", "heartbeat_status",
      "heartbeat_metrics");
  /** Only meaningful while the bot runs: a status other than running clears them. */
  static final List<String> RUNNING_ONLY = List.of("cpu_load", "memory_usage_mb");
  /** What a heartbeat record keeps; a heartbeat without {@code status} or {@code metrics} keeps the previous ones. */
  static final List<String> HEARTBEAT = List.of("time", "status", "metrics");
  /** One point of the metrics history. */
  static final List<String> HISTORY = List.of("time", "cpu_load", "memory_usage_mb", "processes");

  private LiveFields() {
  }

  static long version(JsonObject state) {
    return state == null ? -1 : state.getLong("version", 0L);
  }

  /** The fields a status event sets, nulls for the ones it clears. */
  static JsonObject ofStatus(JsonObject event) {
    JsonObject fields = new JsonObject();
    STATUS.forEach(field -> fields.put(field, event.getValue(field)));
    if (!"running".equals(event.getString("status"))) {
      RUNNING_ONLY.forEach(field -> fields.putNull(field));
    }
    return fields;
  }

  static JsonObject ofSample(JsonObject sample) {
    JsonObject fields = new JsonObject();
    SAMPLE.forEach(field -> fields.put(field, sample.getValue(field)));
    return fields;
  }

  /** The fields a heartbeat sets: only those it carries, so that merging keeps the others. */
  static JsonObject ofHeartbeat(JsonObject heartbeat) {
    JsonObject fields = new JsonObject();
    HEARTBEAT.stream().filter(field -> heartbeat.getValue(field) != null).forEach(field -> fields.put(field, heartbeat.getValue(field)));
    return fields;
  }

  static JsonObject historyPoint(JsonObject sample) {
    JsonObject point = new JsonObject();
    HISTORY.forEach(field -> point.put(field, sample.getValue(field)));
    return point;
  }

  /** The state with {@code fields} applied; null values remove. */
  static JsonObject merged(JsonObject state, JsonObject fields) {
    JsonObject next = state == null ? new JsonObject() : state.copy();
    fields.forEach(entry -> {
      if (entry.getValue() == null) {
        next.remove(entry.getKey());
      } else {
        next.put(entry.getKey(), entry.getValue());
      }
    });
    return next;
  }

  /**
   * The API's live fields. {@code heartbeat} is the bot's newest heartbeat as recorded by the
   * gateway (or null); it counts when it is newer than what the executor reported and belongs to
   * the current run.
   */
  static JsonObject view(JsonObject state, JsonObject heartbeat, Clock clock) {
    JsonObject s = state == null ? new JsonObject() : state;
    String started = s.getString("started_at");
    boolean running = "running".equals(s.getString("status"));
    Long uptime = running && started != null ? Duration.between(Instant.parse(started), clock.instant()).toSeconds() : null;
    JsonObject beat = newerHeartbeat(s, heartbeat);
    return new JsonObject()
        .put("pid", running ? s.getLong("pid") : null)
        .put("started_at", running ? started : null)
        .put("uptime_seconds", uptime)
        .put("cpu_load", s.getDouble("cpu_load"))
        .put("memory_usage_mb", s.getDouble("memory_usage_mb"))
        .put("restarts", s.getInteger("restarts", 0))
        .put("exit_code", s.getInteger("exit_code"))
        .put("signal", s.getInteger("signal"))
        .put("last_lines", s.getJsonArray("last_lines"))
        .put("quota_enforcement", s.getString("enforcement"))
        .put("last_heartbeat", beat.getString("last_heartbeat"))
        .put("heartbeat_status", beat.getString("heartbeat_status"))
        .put("heartbeat_metrics", beat.getJsonObject("heartbeat_metrics"));
  }

  private static JsonObject newerHeartbeat(JsonObject state, JsonObject heartbeat) {
    JsonObject reported = new JsonObject().put("last_heartbeat", state.getString("last_heartbeat"))
        .put("heartbeat_status", state.getString("heartbeat_status"))
        .put("heartbeat_metrics", state.getJsonObject("heartbeat_metrics"));
    String time = heartbeat == null ? null : heartbeat.getString("time");
    if (time == null || !after(time, reported.getString("last_heartbeat")) || !after(time, state.getString("started_at"))) {
      return reported;
    }
    return new JsonObject().put("last_heartbeat", time).put("heartbeat_status", heartbeat.getString("status"))
        .put("heartbeat_metrics", heartbeat.getJsonObject("metrics"));
  }

  /** {@code time} is later than {@code other} (any time is later than none). */
  private static boolean after(String time, String other) {
    return other == null || Instant.parse(time).isAfter(Instant.parse(other));
  }
}
