package io.codex32.live;

import io.codex32.bus.BotEvent;
import io.codex32.bus.BotHeartbeat;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bot live state in this process's memory: the default, and the fallback of the shared one.
 * Thread-safe (HTTP verticles read while the event consumer writes); memory is bounded by the
 * number of bots, {@value BotLiveState#METRICS_KEPT} samples each.
 */
public final class LocalBotLiveState implements BotLiveState {

  private final Clock clock;
  private final int metricsKept;
  private final Map<String, JsonObject> states = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> heartbeats = new ConcurrentHashMap<>();
  private final Map<String, MetricsRing> history = new ConcurrentHashMap<>();

  public LocalBotLiveState(Clock clock) {
    this(clock, METRICS_KEPT);
  }

  LocalBotLiveState(Clock clock, int metricsKept) {
    this.clock = clock;
    this.metricsKept = metricsKept;
  }

  @Override
  public boolean applyStatus(BotEvent.Status event) {
    boolean[] applied = {false};
    states.compute(event.botId(), (id, current) -> {
      if (current != null && LiveFields.version(current) >= event.version()) {
        return current;
      }
      applied[0] = true;
      return LiveFields.merged(current, LiveFields.ofStatus(event));
    });
    return applied[0];
  }

  @Override
  public void applyMetrics(BotEvent.Metrics event) {
    for (BotEvent.Sample sample : event.samples()) {
      String botId = sample.botId();
      states.computeIfPresent(botId, (id, current) -> "running".equals(current.getString("status"))
          ? LiveFields.merged(current, LiveFields.ofSample(sample)) : current);
      history.computeIfAbsent(botId, id -> new MetricsRing(metricsKept)).add(LiveFields.historyPoint(sample));
    }
  }

  @Override
  public void recordHeartbeat(BotHeartbeat heartbeat) {
    heartbeats.merge(heartbeat.botId(), LiveFields.ofHeartbeat(heartbeat), LiveFields::merged);
  }

  @Override
  public void forget(String botId) {
    states.remove(botId);
    heartbeats.remove(botId);
    history.remove(botId);
  }

  @Override
  public Future<BotLiveView> view(String botId) {
    return Future.succeededFuture(viewNow(botId));
  }

  @Override
  public Future<Map<String, BotLiveView>> views(Collection<String> botIds) {
    Map<String, BotLiveView> views = new LinkedHashMap<>();
    botIds.forEach(id -> views.put(id, viewNow(id)));
    return Future.succeededFuture(views);
  }

  @Override
  public Future<List<MetricPoint>> metrics(String botId, int limit) {
    return Future.succeededFuture(metricsNow(botId, limit));
  }

  BotLiveView viewNow(String botId) {
    return LiveFields.view(states.get(botId), heartbeats.get(botId), clock);
  }

  List<MetricPoint> metricsNow(String botId, int limit) {
    MetricsRing ring = history.get(botId);
    return ring == null ? List.of() : ring.newest(limit);
  }

  /** The raw state of a bot (null when unknown), for a shared implementation to compare with. */
  JsonObject state(String botId) {
    return states.get(botId);
  }

  JsonObject heartbeat(String botId) {
    return heartbeats.get(botId);
  }

  /** A snapshot of every bot's raw state, to write back to a shared store that lost it. */
  Map<String, JsonObject> states() {
    return Map.copyOf(states);
  }

  Clock clock() {
    return clock;
  }
}
