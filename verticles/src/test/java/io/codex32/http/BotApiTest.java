package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.test.GatewayPerTest;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bot management through the REST API as an operator would use it. */
@Timeout(120)
class BotApiTest {

  @RegisterExtension
  final GatewayPerTest fixture = GatewayPerTest.plain();

  private Response create(String id, String role, String node) {
    JsonObject spec = new JsonObject().put("id", id).put("role", role).put("command", List.of("python3", "bot.py", "--interval", "5"))
        .put("env", new JsonObject().put("UNITS", "metric"));
    if (node != null) {
      spec.put("placement", new JsonObject().put("node", node));
    }
    return fixture.gateway().send("POST", "/api/v1/bots", spec, fixture.admin());
  }

  @Test
  void createdBotIsRegisteredStoppedAndReadable() {
    Response created = create("weather-station", "collector", null);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/bots/weather-station");
    JsonObject bot = fixture.gateway().get("/api/v1/bots/weather-station", fixture.admin()).json();
    assertThat(bot.getString("status")).isEqualTo("registered");
    assertThat(bot.getString("desired_state")).isEqualTo("stopped");
    assertThat(bot.getString("node")).isEqualTo("local");
    assertThat(bot.getJsonArray("command")).containsExactly("python3", "bot.py", "--interval", "5");
    assertThat(bot.getJsonObject("env").getString("UNITS")).isEqualTo("metric");
    assertThat(bot.getJsonObject("restart").getString("policy")).isEqualTo("on-failure");
    assertThat(bot.getString("name")).isEqualTo("weather-station");
  }

  @Test
  void listFiltersAndPaginates() {
    for (int i = 0; i < 7; i++) {
      assertThat(create("bot-" + i, i % 2 == 0 ? "collector" : "analyzer", i < 5 ? "local" : "pi-2").status()).isEqualTo(201);
    }
    JsonObject page = fixture.gateway().get("/api/v1/bots?limit=3&offset=2", fixture.admin()).json();
    assertThat(page.getInteger("total")).isEqualTo(7);
    assertThat(ids(page)).containsExactly("bot-2", "bot-3", "bot-4");

    assertThat(ids(fixture.gateway().get("/api/v1/bots?role=analyzer", fixture.admin()).json())).containsExactly("bot-1", "bot-3", "bot-5");
    assertThat(ids(fixture.gateway().get("/api/v1/bots?node=pi-2", fixture.admin()).json())).containsExactly("bot-5", "bot-6");
    assertThat(fixture.gateway().get("/api/v1/bots?status=running", fixture.admin()).json().getInteger("total")).isZero();
    assertThat(fixture.gateway().get("/api/v1/bots?status=registered", fixture.admin()).json().getInteger("total")).isEqualTo(7);
  }

  @Test
  void patchMergesAndProtectsAgainstLostUpdates() {
    create("patched", "collector", null);
    Response first = fixture.gateway().get("/api/v1/bots/patched", fixture.admin());
    String etag = first.header("ETag");

    Response ok = fixture.gateway().send("PATCH", "/api/v1/bots/patched", new JsonObject().put("description", "new text")
        .put("env", new JsonObject().put("UNITS", (String) null).put("MODE", "fast")).encode(),
        Map.of("Authorization", "Bearer " + fixture.admin(), "If-Match", etag));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.json().getString("description")).isEqualTo("new text");
    assertThat(ok.json().getJsonObject("env").getMap()).isEqualTo(Map.of("MODE", "fast"));

    Response stale = fixture.gateway().send("PATCH", "/api/v1/bots/patched", new JsonObject().put("description", "stale").encode(),
        Map.of("Authorization", "Bearer " + fixture.admin(), "If-Match", etag));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("revision_conflict");
    assertThat(fixture.gateway().get("/api/v1/bots/patched", fixture.admin()).json().getString("description")).isEqualTo("new text");
  }

  @Test
  void patchCannotChangeTheId() {
    create("fixed-id", "collector", null);
    Response response = fixture.gateway().send("PATCH", "/api/v1/bots/fixed-id", new JsonObject().put("id", "other"), fixture.admin());
    assertThat(response.status()).isEqualTo(400);
  }

  @Test
  void startStopRestartSetDesiredStateAndReachTheNodesExecutor() throws Exception {
    // an executor of our own on node pi-3 records what the gateway sends
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    fixture.gateway().vertx().eventBus().<JsonObject>consumer(Addresses.executor("pi-3"), message -> {
      received.add(message.body());
      message.reply(new JsonObject().put("accepted", true));
    }).completion().await(5, TimeUnit.SECONDS);
    create("controlled", "collector", "pi-3");

    Response started = fixture.gateway().post("/api/v1/bots/controlled/start", fixture.admin());
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().getString("desired_state")).isEqualTo("running");
    JsonObject command = received.poll(5, TimeUnit.SECONDS);
    assertThat(command).isNotNull();
    assertThat(command.getString("action")).isEqualTo("start");
    assertThat(command.getJsonObject("spec").getJsonArray("command")).containsExactly("python3", "bot.py", "--interval", "5");

    assertThat(fixture.gateway().post("/api/v1/bots/controlled/restart", fixture.admin()).status()).isEqualTo(202);
    assertThat(received.poll(5, TimeUnit.SECONDS).getString("action")).isEqualTo("restart");
    Response stopped = fixture.gateway().post("/api/v1/bots/controlled/stop", fixture.admin());
    assertThat(stopped.json().getString("desired_state")).isEqualTo("stopped");
    assertThat(received.poll(5, TimeUnit.SECONDS).getString("action")).isEqualTo("stop");
    assertThat(fixture.gateway().get("/api/v1/bots/controlled", fixture.admin()).json().getString("desired_state")).isEqualTo("stopped");
  }

  @Test
  void desiredStateIsStoredEvenWithoutAnExecutorOnTheNode() {
    create("waiting", "collector", "pi-7");
    assertThat(fixture.gateway().post("/api/v1/bots/waiting/start", fixture.admin()).status()).isEqualTo(202);
    assertThat(fixture.gateway().get("/api/v1/bots/waiting", fixture.admin()).json().getString("desired_state")).isEqualTo("running");
  }

  @Test
  void deleteIsRefusedWhileMeantToRunUnlessForced() {
    create("busy", "collector", "pi-9");
    fixture.gateway().post("/api/v1/bots/busy/start", fixture.admin());
    Response refused = fixture.gateway().delete("/api/v1/bots/busy", fixture.admin());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("bot_running");
    assertThat(fixture.gateway().delete("/api/v1/bots/busy?force=true", fixture.admin()).status()).isEqualTo(204);
    assertThat(fixture.gateway().get("/api/v1/bots/busy", fixture.admin()).status()).isEqualTo(404);
  }

  @Test
  void stoppedBotCanBeDeleted() {
    create("idle", "collector", null);
    assertThat(fixture.gateway().delete("/api/v1/bots/idle", fixture.admin()).status()).isEqualTo(204);
    Response missing = fixture.gateway().delete("/api/v1/bots/idle", fixture.admin());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("not_found");
  }

  @Test
  void botsSurviveARestartOfTheGateway() {
    create("durable", "collector", "pi-9");
    fixture.gateway().post("/api/v1/bots/durable/start", fixture.admin());
    TestGateway restarted = fixture.restart();
    JsonObject bot = restarted.get("/api/v1/bots/durable", fixture.admin()).json();
    assertThat(bot.getString("desired_state")).isEqualTo("running");
  }

  private static List<Object> ids(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    return items.stream().map(item -> ((JsonObject) item).getString("id")).map(Object.class::cast).toList();
  }
}
