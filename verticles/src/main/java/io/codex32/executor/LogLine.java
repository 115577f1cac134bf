package io.codex32.executor;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One line a bot wrote, as kept in its ring and published on {@code codex32.bots.logs.<botId>}. */
public record LogLine(String botId, long seq, Instant time, String stream, String line) {

  public JsonObject toJson() {
    return new JsonObject().put("bot_id", botId).put("seq", seq).put("time", time.toString()).put("stream", stream).put("line", line);
  }
}
