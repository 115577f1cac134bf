package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotHeartbeat;
import io.codex32.error.Codex32Exception;
import io.codex32.live.BotLiveState;
import io.codex32.live.MetricPoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What a bot may do about itself with its CODEX32_BOT_TOKEN, over REST or MQTT: read its own spec,
 * status and recent metrics, and send heartbeats. Heartbeats go into the live state (so every
 * gateway instance shows the newest) and on the event bus to whichever executor supervises the
 * bot (its watchdog restarts bots that stop sending them).
 */
public final class BotSelfService {

  /** Samples of the metrics history returned by GET /api/v1/self. */
  public static final int SELF_METRIC_SAMPLES = 60;
  static final int MAX_STATUS_CHARS = 256;
  static final int MAX_METRICS = 32;
  static final int MAX_METRICS_BYTES = 4096;

  private final Vertx vertx;
  private final BotService bots;
  private final BotLiveState live;
  private final Clock clock;

  public BotSelfService(Vertx vertx, BotService bots, BotLiveState live, Clock clock) {
    this.vertx = vertx;
    this.bots = bots;
    this.live = live;
    this.clock = clock;
  }

  /** The bot as GET /bots/{id} shows it, and its recent samples; nothing about other bots. */
  public Future<BotSelf> self(String botId) {
    return bots.get(botId).compose(bot -> bots.metrics(botId, SELF_METRIC_SAMPLES)
        // a bot not placed on a node, or whose executor is away, still learns its spec and status
        .otherwise(List.<MetricPoint>of())
        .compose(history -> bots.view(bot).map(view -> new BotSelf(view, history))));
  }

  /**
   * Validates a heartbeat ({@code status}: text up to 256 chars; {@code metrics}: up to 32 flat
   * entries of numbers, booleans or short strings, 4 KiB encoded) and hands it to the executors.
   */
  public Future<Void> heartbeat(String botId, JsonObject body) {
    BotHeartbeat heartbeat;
    try {
      JsonObject given = body == null ? new JsonObject() : body;
      heartbeat = new BotHeartbeat(botId, clock.instant(), checkedStatus(given.getValue("status")),
          checkedMetrics(given.getValue("metrics")));
    } catch (Codex32Exception e) {
      return Future.failedFuture(e);
    }
    live.recordHeartbeat(heartbeat);
    vertx.eventBus().publish(Addresses.BOT_HEARTBEATS, heartbeat.toJson());
    return Future.succeededFuture();
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
