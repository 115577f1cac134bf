package io.codex32.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway knows right now about each bot's process, from executor events: pid, start
 * time, restarts, last exit, the last lines of a failed run, and the latest CPU and memory sample.
 * Kept in memory (a shared Redis implementation comes with the production backends). Thread-safe;
 * status events older than the one kept are ignored.
 */
public final class LiveBotStates {

  private static final String[] STATUS_FIELDS = {"status", "version", "pid", "started_at", "adopted", "restarts", "exit_code",
      "signal", "last_lines", "enforcement", "node", "last_heartbeat"};

  private final Clock clock;
  private final Map<String, JsonObject> states = new ConcurrentHashMap<>();

  public LiveBotStates(Clock clock) {
    this.clock = clock;
  }

  /** Applies a {@code type: status} event; returns false when it is older than what is kept. */
  public boolean applyStatus(JsonObject event) {
    String botId = event.getString("bot_id");
    long version = event.getLong("version", 0L);
    boolean[] applied = {false};
    states.compute(botId, (id, current) -> {
      if (current != null && current.getLong("version", 0L) >= version) {
        return current;
      }
      JsonObject next = current == null ? new JsonObject() : current.copy();
      for (String field : STATUS_FIELDS) {
        next.put(field, event.getValue(field));
      }
      if (!"running".equals(event.getString("status"))) {
        next.remove("cpu_load");
        next.remove("memory_usage_mb");
      }
      applied[0] = true;
      return next;
    });
    return applied[0];
  }

  /** Applies the samples of a {@code type: metrics} event to the bots they name. */
  public void applyMetrics(JsonObject event) {
    JsonArray samples = event.getJsonArray("samples", new JsonArray());
    for (int i = 0; i < samples.size(); i++) {
      JsonObject sample = samples.getJsonObject(i);
      states.computeIfPresent(sample.getString("bot_id"), (id, current) -> "running".equals(current.getString("status"))
          ? current.copy().put("cpu_load", sample.getDouble("cpu_load")).put("memory_usage_mb", sample.getDouble("memory_usage_mb"))
              .put("last_heartbeat", sample.getString("last_heartbeat")).put("heartbeat_status", sample.getString("heartbeat_status"))
              .put("heartbeat_metrics", sample.getJsonObject("heartbeat_metrics"))
          : current);
    }
  }

  /** The API's live fields for a bot (nulls when nothing is known). */
  public JsonObject view(String botId) {
    JsonObject state = states.getOrDefault(botId, new JsonObject());
    String started = state.getString("started_at");
    boolean running = "running".equals(state.getString("status"));
    Long uptime = running && started != null ? Duration.between(Instant.parse(started), clock.instant()).toSeconds() : null;
    return new JsonObject()
        .put("pid", running ? state.getLong("pid") : null)
        .put("started_at", running ? started : null)
        .put("uptime_seconds", uptime)
        .put("cpu_load", state.getDouble("cpu_load"))
        .put("memory_usage_mb", state.getDouble("memory_usage_mb"))
        .put("restarts", state.getInteger("restarts", 0))
        .put("exit_code", state.getInteger("exit_code"))
        .put("signal", state.getInteger("signal"))
        .put("last_lines", state.getJsonArray("last_lines"))
        .put("quota_enforcement", state.getString("enforcement"))
        .put("last_heartbeat", state.getString("last_heartbeat"))
        .put("heartbeat_status", state.getString("heartbeat_status"))
        .put("heartbeat_metrics", state.getJsonObject("heartbeat_metrics"));
  }

  public void forget(String botId) {
    states.remove(botId);
  }
}
