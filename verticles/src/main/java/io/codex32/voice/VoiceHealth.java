package io.codex32.voice;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The speech-to-text of one node for a health report, asked over the bus ({@code Status}) with a
 * short timeout: {@code {"node","engine","available","reason"}}. Never fails: a node whose voice
 * does not answer is reported unavailable with the reason. Informative only: a node without an
 * engine is still ready.
 */
public record VoiceHealth(VoiceClient client, String nodeId) {

  public static final long TIMEOUT_MS = 1_000;

  public Future<JsonObject> report() {
    return client.status(nodeId, TIMEOUT_MS)
        .map(status -> {
          JsonObject json = new JsonObject().put("node", nodeId).put("engine", status.engine()).put("available", status.available());
          return status.reason() == null ? json : json.put("reason", status.reason());
        })
        .otherwise(failure -> new JsonObject().put("node", nodeId).put("engine", "unknown").put("available", false)
            .put("reason", failure.getMessage()));
  }
}
