package io.codex32.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.LogRecorder;
import io.codex32.test.TestGateway;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that hears messages it cannot read (not JSON, a newer contract, missing fields) drops
 * each published one with one WARN line and no stack trace, fails each request with a typed 400,
 * and goes on reading the messages that follow.
 */
@Timeout(60)
class UnreadableMessagesTest {

  private static final List<String> PUBLISHED = List.of(Addresses.BOT_EVENTS, Addresses.BOT_HEARTBEATS, Addresses.NODE_HEARTBEAT,
      Addresses.DEVICE_TELEMETRY, Addresses.DEVICE_EVENTS);

  @TempDir
  Path dataDir;

  @Test
  void unreadablePublishedMessagesAreDroppedWithOneWarningEachAndTheNextReadableOneCounts() {
    try (TestGateway gateway = TestGateway.start(dataDir, Map.of("CODEX32_NODES_OFFLINE_AFTER_MS", "60000"));
        LogRecorder log = LogRecorder.attach("io.codex32.supervisor.BotEventsListener", "io.codex32.executor.ExecutorVerticle",
            "io.codex32.nodes.NodeRegistry", "io.codex32.devices.DeviceEventsListener")) {
      EventBus bus = gateway.vertx().eventBus();
      List<Object> unreadable = List.of("not json", new JsonObject().put("v", Contract.VERSION + 1), new JsonObject().put("type", "?"));
      PUBLISHED.forEach(address -> unreadable.forEach(body -> bus.publish(address, body)));
      int expected = PUBLISHED.size() * unreadable.size();

      Await.until(() -> warnings(log).size() >= expected, expected + " warnings");
      bus.publish(Addresses.NODE_HEARTBEAT, new NodeHeartbeat("pi-attic", "attic", Map.of(), 4, 1024, 1.5, 256, 0.1, "0.1.0", 0,
          Instant.now(), null).toJson());
      String token = gateway.adminToken();
      Await.until(() -> gateway.get("/api/v1/nodes/pi-attic", token).status() == 200, "the next readable heartbeat to count");

      assertThat(warnings(log)).hasSize(expected).allSatisfy(line -> assertThat(line).doesNotContain(" <- "));
      assertThat(log.entries()).noneMatch(line -> line.startsWith("ERROR"));
    }
  }

  @Test
  void anUnreadableRequestToAnExecutorIsRefusedWithATypedFailure() {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      EventBus bus = gateway.vertx().eventBus();
      String executor = Addresses.executor("local");

      assertThat(refusal(bus, executor, "start the bot")).isEqualTo("400 not_json");
      assertThat(refusal(bus, executor, new JsonObject().put("v", Contract.VERSION + 1).put("action", "stop").put("bot_id", "a")))
          .isEqualTo("400 unsupported_contract");
      assertThat(refusal(bus, executor, new JsonObject().put("action", "stop"))).isEqualTo("400 missing_field");
      assertThat(Await.result(bus.request(executor, new ExecutorRequest.Summary().toJson())).body())
          .as("the executor still answers").isInstanceOf(JsonObject.class);
    }
  }

  private static List<String> warnings(LogRecorder log) {
    return log.entries().stream().filter(line -> line.startsWith("WARN")).toList();
  }

  private static String refusal(EventBus bus, String address, Object body) {
    Throwable failure = Await.cause(bus.request(address, body));
    assertThat(failure).isInstanceOf(ReplyException.class);
    ReplyException reply = (ReplyException) failure;
    return reply.failureCode() + " " + new JsonObject(reply.getMessage()).getString("code");
  }
}
