package io.codex32.http;

import io.codex32.bot.Bot;
import io.codex32.bus.BotLogLine;
import io.codex32.live.BotLiveView;
import io.codex32.live.MetricPoint;
import io.codex32.supervisor.BotPage;
import io.codex32.supervisor.BotSelf;
import io.codex32.supervisor.BotView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** How the API shows bots, their pages, log lines, metrics and a bot's own view (the JSON of openapi.yaml). */
final class BotJson {

  private BotJson() {
  }

  /**
   * The spec's fields at top level, desired state, status, the node it runs on, the live process
   * fields (pid, uptime_seconds, cpu_load, memory_usage_mb, restarts, exit_code, ...), then times and
   * revision.
   */
  static JsonObject view(BotView view) {
    Bot bot = view.bot();
    return bot.spec().toJson()
        .put("desired_state", bot.desiredState().wireName())
        .put("status", bot.status().wireName())
        .put("status_version", bot.statusVersion())
        .put("reason", bot.reason())
        .put("node", bot.node())
        .put("pid", null)
        .put("uptime_seconds", null)
        .put("cpu_load", null)
        .put("memory_usage_mb", null)
        .put("restarts", 0)
        .put("exit_code", null)
        .mergeIn(live(view.live()))
        .put("created_at", bot.createdAt().toString())
        .put("last_updated", bot.updatedAt().toString())
        .put("revision", bot.revision());
  }

  /** {@code {"items":[...], "total":N, "offset":N, "limit":N}}. */
  static JsonObject page(BotPage page) {
    return items(page.items(), BotJson::view).put("total", page.total()).put("offset", page.offset()).put("limit", page.limit());
  }

  /** {@code {"items":[{"bot_id","seq","time","stream","line"}, ...]}}. */
  static JsonObject logs(List<BotLogLine> lines) {
    return items(lines, line -> new JsonObject().put("bot_id", line.botId()).put("seq", line.seq()).put("time", line.time().toString())
        .put("stream", line.stream()).put("line", line.line()));
  }

  /** {@code {"items":[{"time","cpu_load","memory_usage_mb","processes"}, ...]}}. */
  static JsonObject metrics(List<MetricPoint> points) {
    return items(points, BotJson::point);
  }

  /** {@code {"bot": <as GET /bots/{id} shows it>, "metrics_history": [...]}}. */
  static JsonObject self(BotSelf self) {
    return new JsonObject().put("bot", view(self.bot())).put("metrics_history", array(self.metricsHistory(), BotJson::point));
  }

  private static JsonObject live(BotLiveView live) {
    return new JsonObject()
        .put("pid", live.pid())
        .put("started_at", text(live.startedAt()))
        .put("uptime_seconds", live.uptimeSeconds())
        .put("cpu_load", live.cpuLoad())
        .put("memory_usage_mb", live.memoryMb())
        .put("restarts", live.restarts())
        .put("exit_code", live.exitCode())
        .put("signal", live.signal())
        .put("last_lines", live.lastLines() == null ? null : new JsonArray(List.copyOf(live.lastLines())))
        .put("quota_enforcement", live.quotaEnforcement())
        .put("last_heartbeat", text(live.lastHeartbeat()))
        .put("heartbeat_status", live.heartbeatStatus())
        .put("heartbeat_metrics", live.heartbeatMetrics());
  }

  private static JsonObject point(MetricPoint point) {
    return new JsonObject().put("time", point.time().toString()).put("cpu_load", point.cpuLoad())
        .put("memory_usage_mb", point.memoryMb()).put("processes", point.processes());
  }

  private static <T> JsonObject items(List<T> list, Function<T, JsonObject> toJson) {
    return new JsonObject().put("items", array(list, toJson));
  }

  private static <T> JsonArray array(List<T> list, Function<T, JsonObject> toJson) {
    JsonArray items = new JsonArray();
    list.forEach(item -> items.add(toJson.apply(item)));
    return items;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
