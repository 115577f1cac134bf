package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.GatewayPerTest;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's whole path through the REST API with a real bot process on the gateway's own node. */
@Timeout(120)
class BotExecutionApiTest {

  @RegisterExtension
  final GatewayPerTest fixture = GatewayPerTest.withExecutor();

  @Test
  void createStartWatchLogsAndMetricsThenStop() {
    Response created = fixture.gateway().send("POST", "/api/v1/bots", new JsonObject().put("id", "ticker").put("role", "collector")
        .put("command", List.of("python3", TestGateway.botScript("ticker.py"))), fixture.admin());
    assertThat(created.status()).isEqualTo(201);
    assertThat(fixture.gateway().post("/api/v1/bots/ticker/start", fixture.admin()).status()).isEqualTo(202);

    JsonObject running = fixture.gateway().awaitBot("ticker", fixture.admin(),
        b -> "running".equals(b.getString("status")) && b.getValue("cpu_load") != null, "running with a CPU sample");
    assertThat(running.getLong("pid")).isPositive();
    assertThat(running.getDouble("memory_usage_mb")).isGreaterThan(1.0);
    assertThat(running.getLong("uptime_seconds")).isNotNegative();
    assertThat(fixture.gateway().get("/api/v1/bots?status=running", fixture.admin()).json().getInteger("total")).isEqualTo(1);

    JsonArray lines = Await.until(() -> fixture.gateway().get("/api/v1/bots/ticker/logs?tail=5", fixture.admin()).json()
        .getJsonArray("items"), items -> items.size() >= 3, "three log lines of ticker");
    assertThat(lines.size()).isBetween(3, 5);
    assertThat(lines.getJsonObject(0).getString("line")).startsWith("tick ");
    assertThat(lines.getJsonObject(0).getString("stream")).isEqualTo("stdout");

    JsonArray samples = fixture.gateway().get("/api/v1/bots/ticker/metrics?limit=50", fixture.admin()).json().getJsonArray("items");
    assertThat(samples).isNotEmpty();

    assertThat(fixture.gateway().post("/api/v1/bots/ticker/stop", fixture.admin()).status()).isEqualTo(202);
    JsonObject stopped = fixture.gateway().awaitBot("ticker", fixture.admin(), b -> "stopped".equals(b.getString("status")), "stopped");
    assertThat(stopped.getValue("pid")).isNull();
    assertThat(ProcessHandle.of(running.getLong("pid")).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aCrashingBotIsRestartedThenFailedWithItsLastLines() {
    JsonObject spec = new JsonObject().put("id", "crasher").put("command", List.of("sh", TestGateway.botScript("exit_with.sh"), "7"))
        .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 2).put("backoff_initial_ms", 50));
    fixture.gateway().send("POST", "/api/v1/bots", spec, fixture.admin());
    fixture.gateway().post("/api/v1/bots/crasher/start", fixture.admin());
    JsonObject failed = fixture.gateway().awaitBot("crasher", fixture.admin(), b -> "failed".equals(b.getString("status")), "failed");
    assertThat(failed.getString("reason")).startsWith("restart limit reached");
    assertThat(failed.getInteger("restarts")).isEqualTo(2);
    assertThat(failed.getInteger("exit_code")).isEqualTo(7);
    assertThat(failed.getJsonArray("last_lines").encode()).contains("will exit with 7");
    assertThat(fixture.gateway().get("/api/v1/bots?status=failed", fixture.admin()).json().getInteger("total")).isEqualTo(1);
  }

  @Test
  void startingACommandOffTheAllowListIsRefused() {
    fixture.gateway().send("POST", "/api/v1/bots",
        new JsonObject().put("id", "curl-bot").put("command", List.of("curl", "http://127.0.0.1:1")), fixture.admin());
    Response start = fixture.gateway().post("/api/v1/bots/curl-bot/start", fixture.admin());
    assertThat(start.status()).isEqualTo(422);
    assertThat(start.errorCode()).isEqualTo("command_not_allowed");
    assertThat(start.json().getJsonObject("error").getString("message")).contains("executor.allowed_commands");
    JsonObject failed = fixture.gateway().awaitBot("curl-bot", fixture.admin(), b -> "failed".equals(b.getString("status")), "failed");
    assertThat(failed.getString("reason")).startsWith("command_not_allowed");
  }
}
