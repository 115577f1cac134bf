package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.config.RedisConfig;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.test.TestRedis;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis goes away under a running gateway and comes back empty: readiness says so meanwhile,
 * the API keeps answering from the gateway's memory, and everything returns without a restart.
 */
@Timeout(150)
class RedisOutageTest {

  @TempDir
  Path dataDir;
  private final String prefix = TestRedis.prefixFor(getClass());
  private TestRedis redis;
  private TestGateway gateway;
  private String admin;

  @BeforeEach
  void start() {
    redis = TestRedis.startNew();
    gateway = TestGateway.withExecutor(dataDir, redis.env(prefix));
    admin = gateway.adminToken();
  }

  @AfterEach
  void stop() {
    try {
      // a gateway leaves its bots running when it stops: stop this one first
      if (gateway.get("/api/v1/bots/ticker", admin).status() == 200) {
        gateway.post("/api/v1/bots/ticker/stop", admin);
        gateway.awaitBot("ticker", admin, b -> "stopped".equals(b.getString("status")), "stopped");
      }
    } finally {
      gateway.close();
      redis.close();
    }
  }

  @Test
  void readinessFailsNamingRedisReadsDegradeAndAllRecoversWhenRedisReturns() {
    gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "ticker")
        .put("command", List.of("python3", TestGateway.botScript("ticker.py"))), admin);
    gateway.post("/api/v1/bots/ticker/start", admin);
    gateway.awaitBot("ticker", admin, b -> "running".equals(b.getString("status")) && b.getValue("cpu_load") != null, "running");
    assertThat(ready().status()).isEqualTo(200);
    assertThat(ready().json().getJsonObject("components").getJsonObject("redis").getString("status")).isEqualTo("up");

    redis.stop();

    Await.until(() -> ready().status() == 503, "/health/ready answering 503");
    JsonObject down = ready().json();
    assertThat(down.getString("status")).isEqualTo("down");
    assertThat(down.getJsonObject("components").getJsonObject("redis").getString("status")).isEqualTo("down");
    assertThat(down.getJsonObject("components").getJsonObject("redis").getString("error")).contains("127.0.0.1:" + redis.port());
    assertThat(down.getJsonObject("components").getJsonObject("store").getString("status")).isEqualTo("up");

    // the API goes on from this gateway's memory, including changes made meanwhile
    String again = gateway.adminToken();
    assertThat(gateway.get("/api/v1/bots/ticker/metrics?limit=5", again).json().getJsonArray("items")).isNotEmpty();
    assertThat(gateway.post("/api/v1/bots/ticker/restart", again).status()).isEqualTo(202);
    JsonObject restarted = gateway.awaitBot("ticker", again, b -> "running".equals(b.getString("status")) && b.getInteger("restarts") == 0
        && b.getValue("pid") != null && b.getValue("cpu_load") != null && b.getLong("status_version") > 3, "running again");
    long pid = restarted.getLong("pid");
    assertThat(gateway.get("/api/v1/bots", again).json().getJsonArray("items").getJsonObject(0).getLong("pid")).isEqualTo(pid);

    redis.start();

    Await.until(() -> ready().status() == 200, "/health/ready answering 200 again");
    // what the gateway knew was written back to the empty Redis: another instance sees the bot as it runs now
    LiveState fresh = Await.result(LiveState.open(gateway.vertx(), new RedisConfig(redis.url(), prefix), Clock.systemUTC()));
    try {
      Await.until(() -> Long.valueOf(pid).equals(Await.result(fresh.bots().view("ticker")).pid()), "bot state back in redis");
      Await.until(() -> !Await.result(fresh.bots().metrics("ticker", 5)).isEmpty(), "new samples in redis");
    } finally {
      Await.result(fresh.close());
    }
  }

  private Response ready() {
    return gateway.get("/health/ready", null);
  }
}
