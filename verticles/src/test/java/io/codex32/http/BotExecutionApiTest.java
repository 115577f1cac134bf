package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A user's whole path through the REST API with a real bot process on the gateway's own node. */
@Timeout(120)
class BotExecutionApiTest {

  private static final Duration WAIT = TestGateway.WAIT;

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private String admin;

  @BeforeEach
  void start() {
    gateway = TestGateway.withExecutor(dataDir);
    admin = gateway.adminToken();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void createStartWatchLogsAndMetricsThenStop() {
    Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "ticker").put("role", "collector")
        .put("command", List.of("python3", TestGateway.botScript("ticker.py"))), admin);
    assertThat(created.status()).isEqualTo(201);
    assertThat(gateway.post("/api/v1/bots/ticker/start", admin).status()).isEqualTo(202);

    JsonObject running = gateway.awaitBot("ticker", admin, b -> "running".equals(b.getString("status")) && b.getValue("cpu_load") != null,
        "running with a CPU sample");
    assertThat(running.getLong("pid")).isPositive();
    assertThat(running.getDouble("memory_usage_mb")).isGreaterThan(1.0);
    assertThat(running.getLong("uptime_seconds")).isNotNegative();
    assertThat(gateway.get("/api/v1/bots?status=running", admin).json().getInteger("total")).isEqualTo(1);

    JsonArray lines = new JsonArray();
    Instant deadline = Instant.now().plus(WAIT);
    while (lines.size() < 3 && Instant.now().isBefore(deadline)) {
      lines = gateway.get("/api/v1/bots/ticker/logs?tail=5", admin).json().getJsonArray("items");
      pause();
    }
    assertThat(lines.size()).isBetween(3, 5);
    assertThat(lines.getJsonObject(0).getString("line")).startsWith("tick ");
    assertThat(lines.getJsonObject(0).getString("stream")).isEqualTo("stdout");

    JsonArray samples = gateway.get("/api/v1/bots/ticker/metrics?limit=50", admin).json().getJsonArray("items");
    assertThat(samples).isNotEmpty();

    assertThat(gateway.post("/api/v1/bots/ticker/stop", admin).status()).isEqualTo(202);
    JsonObject stopped = gateway.awaitBot("ticker", admin, b -> "stopped".equals(b.getString("status")), "stopped");
    assertThat(stopped.getValue("pid")).isNull();
    assertThat(ProcessHandle.of(running.getLong("pid")).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aCrashingBotIsRestartedThenFailedWithItsLastLines() {
    JsonObject spec = new JsonObject().put("id", "crasher").put("command", List.of("sh", TestGateway.botScript("exit_with.sh"), "7"))
        .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 2).put("backoff_initial_ms", 50));
    gateway.send("POST", "/api/v1/bots", spec, admin);
    gateway.post("/api/v1/bots/crasher/start", admin);
    JsonObject failed = gateway.awaitBot("crasher", admin, b -> "failed".equals(b.getString("status")), "failed");
    assertThat(failed.getString("reason")).startsWith("restart limit reached");
    assertThat(failed.getInteger("restarts")).isEqualTo(2);
    assertThat(failed.getInteger("exit_code")).isEqualTo(7);
    assertThat(failed.getJsonArray("last_lines").encode()).contains("will exit with 7");
    assertThat(gateway.get("/api/v1/bots?status=failed", admin).json().getInteger("total")).isEqualTo(1);
  }

  @Test
  void startingACommandOffTheAllowListIsRefused() {
    gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "curl-bot").put("command", List.of("curl", "http://127.0.0.1:1")),
        admin);
    Response start = gateway.post("/api/v1/bots/curl-bot/start", admin);
    assertThat(start.status()).isEqualTo(422);
    assertThat(start.errorCode()).isEqualTo("command_not_allowed");
    assertThat(start.json().getJsonObject("error").getString("message")).contains("executor.allowed_commands");
    JsonObject failed = gateway.awaitBot("curl-bot", admin, b -> "failed".equals(b.getString("status")), "failed");
    assertThat(failed.getString("reason")).startsWith("command_not_allowed");
  }
}
