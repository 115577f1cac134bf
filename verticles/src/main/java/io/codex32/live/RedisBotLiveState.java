package io.codex32.live;

import io.codex32.bus.BotEvent;
import io.codex32.bus.BotHeartbeat;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bot live state shared through Redis by every gateway instance:
 * <ul>
 *   <li>{@code <prefix>bot:<id>}: hash of the latest status and sample fields (JSON-encoded values),
 *       kept {@link #STATE_TTL} after its last change;</li>
 *   <li>{@code <prefix>bot:<id>:metrics}: stream of samples, at most {@link BotLiveState#METRICS_KEPT}
 *       entries (MAXLEN), entry ids are the sample times, so the same sample reported to several
 *       instances is stored once; kept {@link #HISTORY_TTL} after the last sample;</li>
 *   <li>{@code <prefix>bot:<id>:heartbeat}: hash of the newest heartbeat's time and the last status and
 *       metrics the bot sent (JSON-encoded values), expiring {@link #HEARTBEAT_TTL} after the last one.</li>
 * </ul>
 * Status changes are applied by a script that refuses versions older than the stored one, so
 * instances that see events in different orders agree. Every write is applied to this instance's
 * memory first; reads answer from Redis and fall back to that memory while Redis is away (or
 * when this instance knows a newer status than Redis shows). When Redis returns, this instance
 * writes back the states it knows, so a Redis that restarted empty is filled again.
 */
public final class RedisBotLiveState implements BotLiveState {

  static final Duration STATE_TTL = Duration.ofDays(7);
  static final Duration HISTORY_TTL = Duration.ofDays(1);
  static final Duration HEARTBEAT_TTL = Duration.ofMinutes(10);

  /** KEYS[1] state hash; ARGV[1] version, ARGV[2] ttl ms, then field/value pairs ('' deletes). */
  private static final String APPLY_STATUS = """
      local current = redis.call('HGET', KEYS[1], 'version')
      if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
      for i = 3, #ARGV, 2 do
        if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      end
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 1""";
  /**
   * KEYS[1] state hash, KEYS[2] history stream; ARGV[1] entry id, ARGV[2] maxlen, ARGV[3] history
   * ttl ms, ARGV[4] state ttl ms, ARGV[5..8] time, cpu_load, memory_usage_mb, processes, then the
   * state's field/value pairs, applied only while the stored status is running. An entry id not
   * above the newest (the sample is there already) is ignored.
   */
  private static final String APPLY_SAMPLE = """
      redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[2], ARGV[1], 'time', ARGV[5], 'cpu_load', ARGV[6],
        'memory_usage_mb', ARGV[7], 'processes', ARGV[8])
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      if redis.call('HGET', KEYS[1], 'status') == '"running"' then
        for i = 9, #ARGV, 2 do
          if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
      end
      return 1""";

  private final RedisLink redis;
  private final LocalBotLiveState local;
  private final int metricsKept;

  public RedisBotLiveState(RedisLink redis, LocalBotLiveState local) {
    this(redis, local, METRICS_KEPT);
  }

  RedisBotLiveState(RedisLink redis, LocalBotLiveState local, int metricsKept) {
    this.redis = redis;
    this.local = local;
    this.metricsKept = metricsKept;
    redis.onRecovery(this::writeBack);
  }

  @Override
  public boolean applyStatus(BotEvent.Status event) {
    if (!local.applyStatus(event)) {
      return false;
    }
    redis.write(List.of(statusRequest(event.botId(), event.version(), LiveFields.ofStatus(event))));
    return true;
  }

  @Override
  public void applyMetrics(BotEvent.Metrics event) {
    local.applyMetrics(event);
    redis.write(event.samples().stream().map(this::sampleRequest).toList());
  }

  @Override
  public void recordHeartbeat(BotHeartbeat heartbeat) {
    local.recordHeartbeat(heartbeat);
    String botId = heartbeat.botId();
    redis.write(List.of(RedisValues.withFields(Request.cmd(Command.HSET).arg(heartbeatKey(botId)), LiveFields.ofHeartbeat(heartbeat)),
        Request.cmd(Command.PEXPIRE).arg(heartbeatKey(botId)).arg(HEARTBEAT_TTL.toMillis())));
  }

  @Override
  public void forget(String botId) {
    local.forget(botId);
    redis.write(List.of(Request.cmd(Command.DEL).arg(stateKey(botId)).arg(historyKey(botId)).arg(heartbeatKey(botId))));
  }

  @Override
  public Future<BotLiveView> view(String botId) {
    return views(List.of(botId)).map(views -> views.get(botId));
  }

  /** Two reads per bot (state hash and heartbeat) in one round trip. */
  @Override
  public Future<Map<String, BotLiveView>> views(Collection<String> botIds) {
    List<String> ids = List.copyOf(botIds);
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Request> requests = new ArrayList<>(ids.size() * 2);
    ids.forEach(id -> {
      requests.add(Request.cmd(Command.HGETALL).arg(stateKey(id)));
      requests.add(Request.cmd(Command.HGETALL).arg(heartbeatKey(id)));
    });
    return redis.read(requests).map(replies -> {
      Map<String, BotLiveView> views = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        views.put(id, LiveFields.view(newerState(id, RedisValues.hash(replies.get(2 * i))),
            newerHeartbeat(id, RedisValues.hash(replies.get(2 * i + 1))), local.clock()));
      }
      return views;
    }).otherwise(failure -> {
      Map<String, BotLiveView> views = new LinkedHashMap<>();
      ids.forEach(id -> views.put(id, local.viewNow(id)));
      return views;
    });
  }

  @Override
  public Future<List<MetricPoint>> metrics(String botId, int limit) {
    int count = Math.max(1, Math.min(limit, metricsKept));
    return redis.read(List.of(Request.cmd(Command.XREVRANGE).arg(historyKey(botId)).arg("+").arg("-").arg("COUNT").arg(count)))
        .map(replies -> history(replies.get(0)))
        .map(shared -> shared.isEmpty() ? local.metricsNow(botId, count) : shared)
        .otherwise(failure -> local.metricsNow(botId, count));
  }

  /** Redis's state unless this instance knows a newer status (its own write may still be on the way). */
  private JsonObject newerState(String botId, JsonObject shared) {
    JsonObject mine = local.state(botId);
    return shared.isEmpty() || LiveFields.version(mine) > LiveFields.version(shared) ? mine : shared;
  }

  private JsonObject newerHeartbeat(String botId, JsonObject shared) {
    JsonObject mine = local.heartbeat(botId);
    if (shared.getString("time") == null || mine == null) {
      return shared.getString("time") == null ? mine : shared;
    }
    return Instant.parse(mine.getString("time")).isAfter(Instant.parse(shared.getString("time"))) ? mine : shared;
  }

  /** Newest-first stream entries to an oldest-first list of samples. */
  private static List<MetricPoint> history(Response entries) {
    List<MetricPoint> items = new ArrayList<>();
    if (entries == null) {
      return items;
    }
    for (int i = entries.size() - 1; i >= 0; i--) {
      Map<String, String> fields = RedisValues.pairs(entries.get(i).get(1));
      String processes = fields.get("processes");
      items.add(new MetricPoint(Instant.parse(fields.get("time")), number(fields.get("cpu_load")), number(fields.get("memory_usage_mb")),
          processes == null || processes.isEmpty() ? null : (int) Double.parseDouble(processes)));
    }
    return items;
  }

  private static Double number(String text) {
    return text == null || text.isEmpty() ? null : Double.valueOf(text);
  }

  private Request statusRequest(String botId, long version, JsonObject fields) {
    Request request = Request.cmd(Command.EVAL).arg(APPLY_STATUS).arg(1).arg(stateKey(botId)).arg(version).arg(STATE_TTL.toMillis());
    return RedisValues.withFields(request, fields);
  }

  private Request sampleRequest(BotEvent.Sample sample) {
    String botId = sample.botId();
    Request request = Request.cmd(Command.EVAL).arg(APPLY_SAMPLE).arg(2).arg(stateKey(botId)).arg(historyKey(botId))
        .arg(sample.time().toEpochMilli() + "-0").arg(metricsKept).arg(HISTORY_TTL.toMillis()).arg(STATE_TTL.toMillis())
        .arg(sample.time().toString()).arg(String.valueOf(sample.cpuLoad())).arg(String.valueOf(sample.memoryMb()))
        .arg(String.valueOf(sample.processes()));
    return RedisValues.withFields(request, LiveFields.ofSample(sample));
  }

  /** After an outage: every status this instance knows, refused by Redis where it holds a newer one. */
  private void writeBack() {
    List<Request> requests = new ArrayList<>();
    local.states().forEach((botId, state) -> requests.add(statusRequest(botId, LiveFields.version(state), state)));
    redis.write(requests);
  }

  private String stateKey(String botId) {
    return redis.key("bot:" + botId);
  }

  private String historyKey(String botId) {
    return redis.key("bot:" + botId + ":metrics");
  }

  private String heartbeatKey(String botId) {
    return redis.key("bot:" + botId + ":heartbeat");
  }
}
