package io.codex32.supervisor;

import io.codex32.error.Codex32Exception;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a bot says in a heartbeat, read once by the transport it came over (REST body or MQTT
 * payload): {@code status} a text of up to 256 characters, {@code metrics} up to 32 flat entries of
 * numbers, booleans or short texts, 4 KiB encoded. Both optional.
 */
public record HeartbeatReport(String status, JsonObject metrics) {

  static final int MAX_STATUS_CHARS = 256;
  static final int MAX_METRICS = 32;
  static final int MAX_METRICS_BYTES = 4096;

  /** The report in {@code body} (null: an empty one); 400 {@code invalid_heartbeat} when it breaks a bound. */
  public static HeartbeatReport fromJson(JsonObject body) {
    JsonObject given = body == null ? new JsonObject() : body;
    return new HeartbeatReport(checkedStatus(given.getValue("status")), checkedMetrics(given.getValue("metrics")));
  }

  private static String checkedStatus(Object status) {
    if (status != null && (!(status instanceof String text) || text.length() > MAX_STATUS_CHARS)) {
      throw invalid("status must be a text of at most " + MAX_STATUS_CHARS + " characters");
    }
    return (String) status;
  }

  private static JsonObject checkedMetrics(Object metrics) {
    if (metrics == null) {
      return null;
    }
    if (!(metrics instanceof JsonObject object) || object.size() > MAX_METRICS
        || object.encode().getBytes(StandardCharsets.UTF_8).length > MAX_METRICS_BYTES) {
      throw invalid("metrics must be an object of at most " + MAX_METRICS + " entries and " + MAX_METRICS_BYTES + " bytes");
    }
    for (Map.Entry<String, Object> entry : object) {
      Object value = entry.getValue();
      boolean flat = value == null || value instanceof Number || value instanceof Boolean
          || value instanceof String text && text.length() <= MAX_STATUS_CHARS;
      if (!flat) {
        throw invalid("metric '" + entry.getKey() + "' must be a number, boolean or short text");
      }
    }
    return object;
  }

  private static Codex32Exception invalid(String message) {
    return Codex32Exception.badRequest("invalid_heartbeat", message);
  }
}
