package io.codex32.live;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * Failure counters shared through Redis, so that every gateway instance counts the same failed
 * logins: {@code <prefix>login:failures:<key>} counts within the window (expires with it) and
 * {@code <prefix>login:lock:<key>} exists while the key is locked (expires with the lock). A key is
 * locked when Redis or this instance's memory says so: the memory holds this instance's own
 * failures even while Redis is away or the write is still on the way.
 */
public final class RedisFailureCounters implements FailureCounters {

  /** KEYS[1] counter, KEYS[2] lock; ARGV[1] limit, ARGV[2] window ms. The lock's window also ends the counting. */
  private static final String FAIL = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      if n >= tonumber(ARGV[1]) and redis.call('SET', KEYS[2], '1', 'PX', ARGV[2], 'NX') then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return n""";

  private final RedisLink redis;
  private final LocalFailureCounters local;

  public RedisFailureCounters(RedisLink redis, LocalFailureCounters local) {
    this.redis = redis;
    this.local = local;
  }

  @Override
  public void fail(String key, int limit, Duration window) {
    local.fail(key, limit, window);
    redis.write(List.of(Request.cmd(Command.EVAL).arg(FAIL).arg(2).arg(counterKey(key)).arg(lockKey(key))
        .arg(limit).arg(Math.max(1, window.toMillis()))));
  }

  @Override
  public void reset(String key) {
    local.reset(key);
    redis.write(List.of(Request.cmd(Command.DEL).arg(counterKey(key)).arg(lockKey(key))));
  }

  @Override
  public Future<Duration> locked(List<String> keys) {
    Duration mine = local.lockedNow(keys);
    if (keys.isEmpty()) {
      return Future.succeededFuture(mine);
    }
    return redis.read(keys.stream().map(key -> Request.cmd(Command.PTTL).arg(lockKey(key))).toList())
        .map(replies -> {
          long longest = replies.stream().map(Response::toLong).reduce(0L, Math::max);
          Duration shared = Duration.ofMillis(longest);
          return shared.compareTo(mine) > 0 ? shared : mine;
        })
        .otherwise(failure -> mine);
  }

  private String counterKey(String key) {
    return redis.key("login:failures:" + key);
  }

  private String lockKey(String key) {
    return redis.key("login:lock:" + key);
  }
}
