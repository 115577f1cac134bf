package io.codex32.health;

import io.codex32.live.RedisLink;
import io.vertx.core.Future;

/** Redis, which holds the live state shared by gateway instances, answers a PING. */
public record RedisHealthCheck(RedisLink redis) implements HealthCheck {

  @Override
  public String component() {
    return "redis";
  }

  @Override
  public Future<Void> check() {
    return redis.ping();
  }
}
