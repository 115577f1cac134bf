package io.codex32.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * What is known right now about each bot's process, from executor events and the bot's own
 * heartbeats: status, pid, start time, restarts, last exit, the last lines of a failed run, the
 * latest CPU and memory sample, and a bounded history of samples.
 *
 * <p>Writes return at once and never fail: this instance applies them to its own memory, and a
 * shared implementation sends them on in the background. Reads may come from the shared store;
 * they fall back to this instance's memory rather than fail.
 */
public interface BotLiveState {

  /** Samples kept per bot: ten minutes at the default sample interval of one second. */
  int METRICS_KEPT = 600;

  /**
   * Applies a {@code type: status} event from an executor; returns false when it is not newer
   * (by {@code version}) than what this instance already knows.
   */
  boolean applyStatus(JsonObject event);

  /** Applies the samples of a {@code type: metrics} event to the bots they name and to their history. */
  void applyMetrics(JsonObject event);

  /** A heartbeat the bot sent ({@code time}, optional {@code status} and {@code metrics}). */
  void recordHeartbeat(String botId, JsonObject heartbeat);

  /** Drops everything about the bot (it was deleted). */
  void forget(String botId);

  /** The API's live fields of one bot (nulls when nothing is known). */
  Future<JsonObject> view(String botId);

  /** {@link #view} of several bots at once; every id given has an entry. */
  Future<Map<String, JsonObject>> views(Collection<String> botIds);

  /** The newest {@code limit} samples of the bot, oldest first; empty when none are known. */
  Future<JsonArray> metrics(String botId, int limit);
}
