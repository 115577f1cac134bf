package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.config.RedisConfig;
import io.codex32.test.Await;
import io.codex32.test.TestRedis;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live-state contract shared through a real Redis: written by one instance, read by another
 * with a memory of its own (as two gateway instances would), plus what the operations guide
 * promises about keys, TTLs and stream lengths.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisLiveStateTest extends LiveStateContract {

  private static Vertx vertx;
  private static Redis client;

  private String prefix;
  private LiveState writer;
  private LiveState reader;

  @BeforeAll
  static void startVertx() {
    vertx = TestVertx.create();
    client = Redis.createClient(vertx, TestRedis.shared().url());
  }

  @AfterAll
  static void stopVertx() {
    client.close();
    vertx.close().await();
  }

  @BeforeEach
  void openTwoInstances() {
    prefix = TestRedis.prefixFor(getClass());
    writer = open();
    reader = open();
  }

  @AfterEach
  void closeThem() {
    Await.result(writer.close());
    Await.result(reader.close());
  }

  @Override
  LiveState writer() {
    return writer;
  }

  @Override
  LiveState reader() {
    return reader;
  }

  @Override
  void settle() {
    Await.until(() -> link(writer).pendingWrites() == 0 && link(reader).pendingWrites() == 0, "writes answered by redis");
  }

  @Test
  void keysCarryThePrefixTheirTtlAndABoundedStream() {
    Instant now = Instant.now();
    writer.bots().applyStatus(event(status("weather", 1, "running").put("pid", 9).put("started_at", now.toString())));
    for (int i = 1; i <= KEPT * 2; i++) {
      writer.bots().applyMetrics(metrics(sample("weather", now.plusSeconds(i), 1, 1)));
    }
    writer.bots().recordHeartbeat(heartbeat("weather", now.plusSeconds(1), "ok"));
    writer.nodes().putNode("pi-1", new JsonObject().put("load", 1), Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      writer.loginFailures().fail("u:alice", 3, Duration.ofMinutes(5));
    }
    settle();

    assertThat(ttl("bot:weather")).isPositive().isLessThanOrEqualTo(RedisBotLiveState.STATE_TTL);
    assertThat(ttl("bot:weather:metrics")).isPositive().isLessThanOrEqualTo(RedisBotLiveState.HISTORY_TTL);
    assertThat(ttl("bot:weather:heartbeat")).isPositive().isLessThanOrEqualTo(RedisBotLiveState.HEARTBEAT_TTL);
    assertThat(ttl("node:pi-1")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(ttl("login:failures:u:alice")).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(ttl("login:lock:u:alice")).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(redis(Request.cmd(Command.XLEN).arg(prefix + "bot:weather:metrics")).toLong()).isEqualTo(KEPT);
    assertThat(redis(Request.cmd(Command.HGET).arg(prefix + "bot:weather").arg("status")).toString()).isEqualTo("\"running\"");
    assertThat(redis(Request.cmd(Command.SMEMBERS).arg(prefix + "nodes")).stream().map(Response::toString)).containsExactly("pi-1");
  }

  @Test
  void aNewInstanceReadsWhatOthersWroteBeforeItStarted() {
    writer.bots().applyStatus(event(status("weather", 2, "running").put("pid", 77).put("started_at", Instant.now().toString())));
    settle();

    LiveState late = open();
    try {
      assertThat(Await.result(late.bots().view("weather")).pid()).isEqualTo(77L);
    } finally {
      Await.result(late.close());
    }
  }

  private Duration ttl(String key) {
    return Duration.ofMillis(redis(Request.cmd(Command.PTTL).arg(prefix + key)).toLong());
  }

  private static Response redis(Request request) {
    return Await.result(client.send(request));
  }

  private LiveState open() {
    Clock clock = Clock.systemUTC();
    RedisLink link = Await.result(RedisLink.open(vertx, new RedisConfig(TestRedis.shared().url(), prefix)));
    assertThat(link.isUp()).isTrue();
    return new LiveState(new RedisBotLiveState(link, new LocalBotLiveState(clock, KEPT), KEPT),
        new RedisNodeLiveState(link, new LocalNodeLiveState(clock)), new RedisFailureCounters(link, new LocalFailureCounters(clock)), link);
  }

  private static RedisLink link(LiveState live) {
    return live.redis().orElseThrow();
  }
}
