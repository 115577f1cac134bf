package io.codex32.live;

import io.codex32.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * The gateway's live state: bots, nodes and login failure counters, either in this process's
 * memory or shared with the other gateway instances through Redis (with this process's memory as
 * the fallback while Redis is away).
 */
public final class LiveState {

  private final BotLiveState bots;
  private final NodeLiveState nodes;
  private final FailureCounters loginFailures;
  private final RedisLink redis;

  LiveState(BotLiveState bots, NodeLiveState nodes, FailureCounters loginFailures, RedisLink redis) {
    this.bots = bots;
    this.nodes = nodes;
    this.loginFailures = loginFailures;
    this.redis = redis;
  }

  public static LiveState inMemory(Clock clock) {
    return new LiveState(new LocalBotLiveState(clock), new LocalNodeLiveState(clock), new LocalFailureCounters(clock), null);
  }

  /** In memory when {@code redis.url} is unset; else shared through Redis, even if it does not answer yet. */
  public static Future<LiveState> open(Vertx vertx, RedisConfig config, Clock clock) {
    if (!config.enabled()) {
      return Future.succeededFuture(inMemory(clock));
    }
    return RedisLink.open(vertx, config).map(link -> new LiveState(
        new RedisBotLiveState(link, new LocalBotLiveState(clock)),
        new RedisNodeLiveState(link, new LocalNodeLiveState(clock)),
        new RedisFailureCounters(link, new LocalFailureCounters(clock)),
        link));
  }

  public BotLiveState bots() {
    return bots;
  }

  public NodeLiveState nodes() {
    return nodes;
  }

  public FailureCounters loginFailures() {
    return loginFailures;
  }

  /** The Redis connection when live state is shared. */
  public Optional<RedisLink> redis() {
    return Optional.ofNullable(redis);
  }

  public Future<Void> close() {
    return redis == null ? Future.succeededFuture() : redis.close();
  }
}
