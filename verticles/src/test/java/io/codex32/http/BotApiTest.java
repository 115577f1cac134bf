package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bot management through the REST API as an operator would use it. */
@Timeout(120)
class BotApiTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private String admin;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir);
    admin = gateway.adminToken();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Response create(String id, String role, String node) {
    JsonObject spec = new JsonObject().put("id", id).put("role", role).put("command", List.of("python3", "bot.py", "--interval", "5"))
        .put("env", new JsonObject().put("UNITS", "metric"));
    if (node != null) {
      spec.put("placement", new JsonObject().put("node", node));
    }
    return gateway.send("POST", "/api/v1/bots", spec, admin);
  }

  @Test
  void createdBotIsRegisteredStoppedAndReadable() {
    Response created = create("weather-station", "collector", null);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/bots/weather-station");
    JsonObject bot = gateway.get("/api/v1/bots/weather-station", admin).json();
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
    JsonObject page = gateway.get("/api/v1/bots?limit=3&offset=2", admin).json();
    assertThat(page.getInteger("total")).isEqualTo(7);
    assertThat(ids(page)).containsExactly("bot-2", "bot-3", "bot-4");

    assertThat(ids(gateway.get("/api/v1/bots?role=analyzer", admin).json())).containsExactly("bot-1", "bot-3", "bot-5");
    assertThat(ids(gateway.get("/api/v1/bots?node=pi-2", admin).json())).containsExactly("bot-5", "bot-6");
    assertThat(gateway.get("/api/v1/bots?status=running", admin).json().getInteger("total")).isZero();
    assertThat(gateway.get("/api/v1/bots?status=registered", admin).json().getInteger("total")).isEqualTo(7);
  }

  @Test
  void patchMergesAndProtectsAgainstLostUpdates() {
    create("patched", "collector", null);
    Response first = gateway.get("/api/v1/bots/patched", admin);
    String etag = first.header("ETag");

    Response ok = gateway.send("PATCH", "/api/v1/bots/patched", new JsonObject().put("description", "new text")
        .put("env", new JsonObject().put("UNITS", (String) null).put("MODE", "fast")).encode(),
        Map.of("Authorization", "Bearer " + admin, "If-Match", etag));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.json().getString("description")).isEqualTo("new text");
    assertThat(ok.json().getJsonObject("env").getMap()).isEqualTo(Map.of("MODE", "fast"));

    Response stale = gateway.send("PATCH", "/api/v1/bots/patched", new JsonObject().put("description", "stale").encode(),
        Map.of("Authorization", "Bearer " + admin, "If-Match", etag));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("revision_conflict");
    assertThat(gateway.get("/api/v1/bots/patched", admin).json().getString("description")).isEqualTo("new text");
  }

  @Test
  void patchCannotChangeTheId() {
    create("fixed-id", "collector", null);
    Response response = gateway.send("PATCH", "/api/v1/bots/fixed-id", new JsonObject().put("id", "other"), admin);
    assertThat(response.status()).isEqualTo(400);
  }

  @Test
  void startStopRestartSetDesiredStateAndReachTheNodesExecutor() throws Exception {
    // an executor of our own on node pi-3 records what the gateway sends
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    gateway.vertx().eventBus().<JsonObject>consumer(Addresses.executor("pi-3"), message -> {
      received.add(message.body());
      message.reply(new JsonObject().put("accepted", true));
    }).completion().await(5, TimeUnit.SECONDS);
    create("controlled", "collector", "pi-3");

    Response started = gateway.post("/api/v1/bots/controlled/start", admin);
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().getString("desired_state")).isEqualTo("running");
    JsonObject command = received.poll(5, TimeUnit.SECONDS);
    assertThat(command).isNotNull();
    assertThat(command.getString("action")).isEqualTo("start");
    assertThat(command.getJsonObject("spec").getJsonArray("command")).containsExactly("python3", "bot.py", "--interval", "5");

    assertThat(gateway.post("/api/v1/bots/controlled/restart", admin).status()).isEqualTo(202);
    assertThat(received.poll(5, TimeUnit.SECONDS).getString("action")).isEqualTo("restart");
    Response stopped = gateway.post("/api/v1/bots/controlled/stop", admin);
    assertThat(stopped.json().getString("desired_state")).isEqualTo("stopped");
    assertThat(received.poll(5, TimeUnit.SECONDS).getString("action")).isEqualTo("stop");
    assertThat(gateway.get("/api/v1/bots/controlled", admin).json().getString("desired_state")).isEqualTo("stopped");
  }

  @Test
  void desiredStateIsStoredEvenWithoutAnExecutorOnTheNode() {
    create("waiting", "collector", "pi-7");
    assertThat(gateway.post("/api/v1/bots/waiting/start", admin).status()).isEqualTo(202);
    assertThat(gateway.get("/api/v1/bots/waiting", admin).json().getString("desired_state")).isEqualTo("running");
  }

  @Test
  void deleteIsRefusedWhileMeantToRunUnlessForced() {
    create("busy", "collector", "pi-9");
    gateway.post("/api/v1/bots/busy/start", admin);
    Response refused = gateway.delete("/api/v1/bots/busy", admin);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("bot_running");
    assertThat(gateway.delete("/api/v1/bots/busy?force=true", admin).status()).isEqualTo(204);
    assertThat(gateway.get("/api/v1/bots/busy", admin).status()).isEqualTo(404);
  }

  @Test
  void stoppedBotCanBeDeleted() {
    create("idle", "collector", null);
    assertThat(gateway.delete("/api/v1/bots/idle", admin).status()).isEqualTo(204);
    Response missing = gateway.delete("/api/v1/bots/idle", admin);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("not_found");
  }

  @Test
  void botsSurviveARestartOfTheGateway() {
    create("durable", "collector", "pi-9");
    gateway.post("/api/v1/bots/durable/start", admin);
    gateway.close();
    gateway = TestGateway.start(dataDir);
    JsonObject bot = gateway.get("/api/v1/bots/durable", gateway.adminToken()).json();
    assertThat(bot.getString("desired_state")).isEqualTo("running");
  }

  private static List<Object> ids(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    return items.stream().map(item -> ((JsonObject) item).getString("id")).map(Object.class::cast).toList();
  }
}
