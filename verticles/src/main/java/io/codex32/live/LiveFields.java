package io.codex32.live;

import io.codex32.bot.BotStatus;
import io.codex32.bus.BotEvent;
import io.codex32.bus.BotHeartbeat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How events become the stored fields of a bot's live state (the Redis hash fields too, so their
 * names are a storage format) and how those become its {@link BotLiveView}; shared by every
 * {@link BotLiveState} so that all of them show the same thing for the same events.
 */
final class LiveFields {

  /** Only meaningful while the bot runs: a status other than running clears them. */
  static final List<String> RUNNING_ONLY = List.of("cpu_load", "memory_usage_mb");

  private LiveFields() {
  }

  static long version(JsonObject state) {
    return state == null ? -1 : state.getLong("version", 0L);
  }

  /** The fields a status event sets, nulls for the ones it clears. */
  static JsonObject ofStatus(BotEvent.Status event) {
    BotEvent.ProcessReport p = event.process();
    JsonObject fields = new JsonObject()
        .put("status", event.status().wireName())
        .put("version", event.version())
        .put("pid", p == null ? null : p.pid())
        .put("started_at", p == null ? null : text(p.startedAt()))
        .put("adopted", p == null ? null : p.adopted())
        .put("restarts", p == null ? null : p.restarts())
        .put("exit_code", p == null ? null : p.exitCode())
        .put("signal", p == null ? null : p.signal())
        .put("last_lines", event.lastLines() == null ? null : new JsonArray(List.copyOf(event.lastLines())))
        .put("enforcement", p == null ? null : p.enforcement())
        .put("node", event.node())
        .put("last_heartbeat", p == null ? null : text(p.lastHeartbeat()));
    if (event.status() != BotStatus.RUNNING) {
      RUNNING_ONLY.forEach(field -> fields.putNull(field));
    }
    return fields;
  }

  static JsonObject ofSample(BotEvent.Sample sample) {
    return new JsonObject()
        .put("cpu_load", sample.cpuLoad())
        .put("memory_usage_mb", sample.memoryMb())
        .put("last_heartbeat", text(sample.lastHeartbeat()))
        .put("heartbeat_status", sample.heartbeatStatus())
        .put("heartbeat_metrics", sample.heartbeatMetrics());
  }

  /** The fields a heartbeat sets: only those it carries, so that merging keeps the others. */
  static JsonObject ofHeartbeat(BotHeartbeat heartbeat) {
    JsonObject fields = new JsonObject().put("time", heartbeat.time().toString());
    if (heartbeat.status() != null) {
      fields.put("status", heartbeat.status());
    }
    return heartbeat.metrics() == null ? fields : fields.put("metrics", heartbeat.metrics());
  }

  static MetricPoint historyPoint(BotEvent.Sample sample) {
    return new MetricPoint(sample.time(), sample.cpuLoad(), sample.memoryMb(), sample.processes());
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
  static BotLiveView view(JsonObject state, JsonObject heartbeat, Clock clock) {
    JsonObject s = state == null ? new JsonObject() : state;
    String started = s.getString("started_at");
    boolean running = "running".equals(s.getString("status"));
    Long uptime = running && started != null ? Duration.between(Instant.parse(started), clock.instant()).toSeconds() : null;
    JsonObject beat = newerHeartbeat(s, heartbeat);
    JsonArray lastLines = s.getJsonArray("last_lines");
    return new BotLiveView(
        running ? s.getLong("pid") : null,
        running ? instant(started) : null,
        uptime,
        s.getDouble("cpu_load"),
        s.getDouble("memory_usage_mb"),
        s.getInteger("restarts", 0),
        s.getInteger("exit_code"),
        s.getInteger("signal"),
        lastLines == null ? null : lastLines.stream().map(String::valueOf).toList(),
        s.getString("enforcement"),
        instant(beat.getString("last_heartbeat")),
        beat.getString("heartbeat_status"),
        beat.getJsonObject("heartbeat_metrics"));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
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
