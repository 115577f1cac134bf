package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A bot's own heartbeat (REST or MQTT), published on {@code codex32.bots.heartbeat} for every
 * executor; only the one supervising the bot acts on it. {@code status} and {@code metrics} are
 * optional and already bounded by whoever took the heartbeat in.
 */
public record BotHeartbeat(String botId, Instant time, String status, JsonObject metrics) implements BusMessage {

  private static final String BOT_ID = "bot_id";
  private static final String TIME = "time";
  private static final String STATUS = "status";
  private static final String METRICS = "metrics";

  @Override
  public JsonObject toJson() {
    JsonObject json = Contract.body().put(BOT_ID, botId).put(TIME, time.toString());
    if (status != null) {
      json.put(STATUS, status);
    }
    return metrics == null ? json : json.put(METRICS, metrics);
  }

  public static BotHeartbeat fromJson(Object body) {
    Fields f = Fields.of(body);
    return new BotHeartbeat(f.text(BOT_ID), f.instant(TIME), f.optionalText(STATUS), f.optionalObject(METRICS));
  }
}
