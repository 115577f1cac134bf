package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.test.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway instances with one Redis, as behind a load balancer. Each has a store of its own
 * here, so the bot is registered on both (as one shared PostgreSQL store would show it); the bot
 * runs on the first instance's node only.
 */
@Timeout(120)
class SharedLiveStateTest {

  @TempDir
  Path dirA;
  @TempDir
  Path dirB;
  private final String prefix = TestRedis.prefixFor(getClass());
  private TestGateway running;
  private TestGateway other;
  private String adminA;
  private String adminB;

  @BeforeEach
  void startTwoInstances() {
    running = TestGateway.withExecutor(dirA, TestRedis.shared().env(prefix));
    Map<String, String> env = new HashMap<>(TestRedis.shared().env(prefix));
    env.put("CODEX32_NODE_ID", "elsewhere");
    other = TestGateway.start(dirB, env);
    adminA = running.adminToken();
    adminB = other.adminToken();
  }

  @AfterEach
  void stopThem() {
    try {
      // a gateway leaves its bots running when it stops: stop the one a test may have started
      if (running.get("/api/v1/bots/ticker", adminA).status() == 200) {
        running.post("/api/v1/bots/ticker/stop", adminA);
        running.awaitBot("ticker", adminA, b -> "stopped".equals(b.getString("status")), "stopped");
      }
    } finally {
      running.close();
      other.close();
    }
  }

  @Test
  void aBotRunningBehindOneInstanceShowsItsLiveStateAndMetricsOnTheOther() {
    JsonObject spec = new JsonObject().put("id", "ticker").put("placement", new JsonObject().put("node", "local"))
        .put("command", List.of("python3", TestGateway.botScript("ticker.py")));
    assertThat(running.send("POST", "/api/v1/bots", spec, adminA).status()).isEqualTo(201);
    assertThat(other.send("POST", "/api/v1/bots", spec, adminB).status()).isEqualTo(201);
    assertThat(other.get("/api/v1/bots/ticker/metrics", adminB).json().getJsonArray("items")).isEmpty();

    assertThat(running.post("/api/v1/bots/ticker/start", adminA).status()).isEqualTo(202);
    long pid = running.awaitBot("ticker", adminA, b -> "running".equals(b.getString("status")) && b.getValue("cpu_load") != null,
        "running with a sample").getLong("pid");

    JsonObject seen = other.awaitBot("ticker", adminB, b -> b.getValue("cpu_load") != null, "showing the sample taken behind the other");
    assertThat(seen.getLong("pid")).isEqualTo(pid);
    assertThat(seen.getLong("uptime_seconds")).isNotNegative();
    assertThat(seen.getDouble("memory_usage_mb")).isGreaterThan(1.0);
    assertThat(other.get("/api/v1/bots", adminB).json().getJsonArray("items").getJsonObject(0).getLong("pid")).isEqualTo(pid);
    JsonArray samples = other.get("/api/v1/bots/ticker/metrics?limit=10", adminB).json().getJsonArray("items");
    assertThat(samples).isNotEmpty();
    assertThat(samples.getJsonObject(samples.size() - 1).getDouble("memory_usage_mb")).isGreaterThan(1.0);

    assertThat(running.post("/api/v1/bots/ticker/stop", adminA).status()).isEqualTo(202);
    running.awaitBot("ticker", adminA, b -> "stopped".equals(b.getString("status")), "stopped");
    JsonObject stopped = other.awaitBot("ticker", adminB, b -> b.getValue("pid") == null, "without a pid");
    assertThat(stopped.getValue("cpu_load")).isNull();
  }

  @Test
  void failedLoginsOnOneInstanceLockTheUserOutOfTheOther() {
    for (int i = 0; i < 5; i++) {
      assertThat(running.attemptLogin("admin", "wrong-password-" + i).status()).isEqualTo(401);
    }
    awaitKey("login:lock:u:admin");

    Response refused = other.attemptLogin("admin", TestGateway.ADMIN_PASSWORD);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
  }

  @Test
  void aGatewayStartedLaterListsTheNodesOthersHeardOfAsOffline() {
    Await.until(() -> running.get("/api/v1/nodes/local", adminA).status() == 200, "node local listed by its own gateway");
    awaitKey("node:local");

    Map<String, String> env = new HashMap<>(TestRedis.shared().env(prefix));
    env.put("CODEX32_NODE_ID", "later");
    TestGateway later = TestGateway.start(dirB.resolve("later"), env);
    try {
      JsonObject local = later.get("/api/v1/nodes/local", later.adminToken()).json();
      // it never heard the node itself: listed with what the node last said, offline until it reports here
      assertThat(local.getBoolean("online")).isFalse();
      assertThat(local.getString("last_seen")).isNotNull();
      assertThat(local.getJsonObject("capacity").getInteger("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
    } finally {
      later.close();
    }
  }

  /** Waits until {@code key} (under this class's prefix) exists in Redis: the instances' writes are asynchronous. */
  private void awaitKey(String key) {
    Redis client = Redis.createClient(running.vertx(), TestRedis.shared().url());
    try {
      Await.until(() -> Await.result(client.send(Request.cmd(Command.EXISTS).arg(prefix + key))).toInteger() == 1, key + " in redis");
    } finally {
      client.close();
    }
  }
}
