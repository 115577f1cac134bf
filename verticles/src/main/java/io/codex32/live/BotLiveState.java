package io.codex32.live;

import io.codex32.bus.BotEvent;
import io.codex32.bus.BotHeartbeat;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
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
   * Applies a status event (from an executor, or decided by a gateway); returns false when it is
   * not newer (by {@code version}) than what this instance already knows.
   */
  boolean applyStatus(BotEvent.Status event);

  /** Applies the samples of a metrics event to the bots they name and to their history. */
  void applyMetrics(BotEvent.Metrics event);

  /** A heartbeat the bot sent (a status or metrics it leaves out keep the ones it sent before). */
  void recordHeartbeat(BotHeartbeat heartbeat);

  /** Drops everything about the bot (it was deleted). */
  void forget(String botId);

  /** The live fields of one bot (nulls when nothing is known). */
  Future<BotLiveView> view(String botId);

  /** {@link #view} of several bots at once; every id given has an entry. */
  Future<Map<String, BotLiveView>> views(Collection<String> botIds);

  /** The newest {@code limit} samples of the bot, oldest first; empty when none are known. */
  Future<List<MetricPoint>> metrics(String botId, int limit);
}
