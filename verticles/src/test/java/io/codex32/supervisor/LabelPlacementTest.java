package io.codex32.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.test.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bots placed by a label selector: the gateway assigns an online node carrying the labels, routes
 * every command there, keeps a bot without one {@code registered} until a node fits, never moves a bot
 * that may still run, and a new leader notices nodes that died while no gateway was watching. The
 * other nodes are real executors with their own heartbeats beside the gateway; bots are real processes.
 */
@Timeout(180)
class LabelPlacementTest {

  private static final List<String> SLEEPER = List.of("sleep", "300");
  private static final Map<String, String> GPIO = Map.of("gpio", "true");

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private String admin;
  private final List<TestNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    startGateway();
  }

  private void startGateway() {
    gateway = TestGateway.start(dataDir.resolve("gateway"), Map.of(
        "CODEX32_EXECUTOR_ALLOWED_COMMANDS", "sleep,python3",
        "CODEX32_NODE_LABELS", "room=kitchen",
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200",
        "CODEX32_NODES_OFFLINE_AFTER_MS", "1500"));
    admin = gateway.adminToken();
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
    gateway.close();
    nodes.forEach(TestNode::killBots);
  }

  @Test
  void theSelectorPicksTheMatchingNodeWithFewestBotsAndEveryCommandGoesThere() {
    TestNode attic = node("pi-a", Map.of("gpio", "true", "room", "attic"));
    TestNode hall = node("pi-b", GPIO);
    node("pi-c", Map.of("gpio", "false"));
    awaitOnline("local", "pi-a", "pi-b", "pi-c");
    create("anchor", new JsonObject().put("node", "pi-a"), SLEEPER);
    startedRunning("anchor");

    create("sensor-1", selector(GPIO), List.of("python3", TestGateway.botScript("ticker.py")));
    assertThat(gateway.get("/api/v1/bots/sensor-1", admin).json().getValue("node")).isNull();
    Response started = gateway.post("/api/v1/bots/sensor-1/start", admin);
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().getString("node")).isEqualTo("pi-b");
    JsonObject running = gateway.awaitBot("sensor-1", admin, bot -> "running".equals(bot.getString("status")), "running");
    assertThat(running.getString("node")).isEqualTo("pi-b");
    assertThat(running.getJsonObject("placement").getJsonObject("labels").getMap()).isEqualTo(Map.of("gpio", "true"));
    long pid = running.getLong("pid");
    assertThat(cwdOf(pid)).startsWith(hall.dataDir());
    Await.until(() -> !gateway.get("/api/v1/bots/sensor-1/logs?tail=5", admin).json().getJsonArray("items").isEmpty(),
        "log lines of sensor-1 from pi-b");

    create("sensor-2", selector(GPIO), SLEEPER);
    Response second = gateway.post("/api/v1/bots/sensor-2/start", admin);
    assertThat(second.json().getString("node")).as("one bot on each gpio node: the tie goes to the first id").isEqualTo("pi-a");
    JsonObject secondRunning = startedRunning("sensor-2");
    assertThat(cwdOf(secondRunning.getLong("pid"))).startsWith(attic.dataDir());

    JsonArray onHall = gateway.get("/api/v1/bots?node=pi-b", admin).json().getJsonArray("items");
    assertThat(onHall.stream().map(item -> ((JsonObject) item).getString("id"))).containsExactly("sensor-1");

    assertThat(gateway.post("/api/v1/bots/sensor-1/stop", admin).status()).isEqualTo(202);
    gateway.awaitBot("sensor-1", admin, bot -> "stopped".equals(bot.getString("status")), "stopped");
    Await.until(() -> !alive(pid), "the process on pi-b is gone");
    assertThat(gateway.get("/api/v1/bots/sensor-1", admin).json().getString("node")).isEqualTo("pi-b");
  }

  @Test
  void withoutAMatchingNodeTheBotWaitsRegisteredUntilOneReportsThenRunsThere() {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    gateway.vertx().eventBus().<JsonObject>consumer(Addresses.BOT_EVENTS, message -> {
      if ("waiter".equals(message.body().getString("bot_id"))) {
        events.add(message.body());
      }
    });
    awaitOnline("local");
    long created = create("waiter", selector(Map.of("camera", "yes")), SLEEPER).getLong("status_version");

    Response started = gateway.post("/api/v1/bots/waiter/start", admin);
    assertThat(started.status()).isEqualTo(202);
    JsonObject waiting = started.json();
    assertThat(waiting.getString("desired_state")).isEqualTo("running");
    assertThat(waiting.getString("status")).isEqualTo("registered");
    assertThat(waiting.getString("reason")).isEqualTo("unschedulable: no online node matches {camera=yes}");
    assertThat(waiting.getValue("node")).isNull();
    assertThat(waiting.getLong("status_version")).isGreaterThan(created);
    Await.until(() -> events.stream().anyMatch(event -> "registered".equals(event.getString("status"))
        && event.getString("reason").startsWith("unschedulable") && event.getLong("version") == waiting.getLong("status_version")),
        "the unschedulable status published on the bus");

    Response logs = gateway.get("/api/v1/bots/waiter/logs", admin);
    assertThat(logs.status()).isEqualTo(409);
    assertThat(logs.errorCode()).isEqualTo("unschedulable");

    TestNode camera = node("pi-cam", Map.of("camera", "yes", "room", "porch"));
    JsonObject running = gateway.awaitBot("waiter", admin, bot -> "running".equals(bot.getString("status")), "placed and running");
    assertThat(running.getString("node")).isEqualTo("pi-cam");
    assertThat(cwdOf(running.getLong("pid"))).startsWith(camera.dataDir());
  }

  @Test
  void aNewPlacementOfAStoppedBotForgetsItsNodeWhileARunningBotRefusesIt() {
    node("pi-a", GPIO);
    awaitOnline("pi-a");
    create("mover", selector(GPIO), SLEEPER);
    assertThat(startedRunning("mover").getString("node")).isEqualTo("pi-a");

    Response refused = patch("mover", new JsonObject().put("placement", selector(Map.of("room", "attic"))));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("bot_running");

    gateway.post("/api/v1/bots/mover/stop", admin);
    gateway.awaitBot("mover", admin, bot -> "stopped".equals(bot.getString("status")), "stopped");
    assertThat(patch("mover", new JsonObject().put("name", "Mover")).json().getString("node")).isEqualTo("pi-a");

    JsonObject moved = patch("mover", new JsonObject().put("placement", selector(Map.of("room", "attic")))).json();
    assertThat(moved.getValue("node")).isNull();
    assertThat(moved.getJsonObject("placement")).isEqualTo(selector(Map.of("room", "attic")));
    JsonObject waiting = gateway.post("/api/v1/bots/mover/start", admin).json();
    assertThat(waiting.getString("status")).isEqualTo("registered");
    assertThat(waiting.getString("reason")).isEqualTo("unschedulable: no online node matches {room=attic}");

    JsonObject stopped = gateway.post("/api/v1/bots/mover/stop", admin).json();
    assertThat(stopped.getString("reason")).as("a stopped bot no longer waits for a node").isNull();
    assertThat(stopped.getString("status")).isEqualTo("registered");
  }

  @Test
  void aBotMovesOnlyWhenNoProcessOfItCanBeLeftOnItsOldNode() {
    TestNode first = node("pi-a", GPIO);
    awaitOnline("pi-a");
    create("keeper", selector(GPIO), SLEEPER);
    create("drifter", selector(GPIO), SLEEPER);
    long keeperPid = startedRunning("keeper").getLong("pid");
    startedRunning("drifter");
    gateway.post("/api/v1/bots/drifter/stop", admin);
    gateway.awaitBot("drifter", admin, bot -> "stopped".equals(bot.getString("status")), "stopped");

    TestNode second = node("pi-b", GPIO);
    awaitOnline("pi-b");
    first.close();
    JsonObject lost = gateway.awaitBot("keeper", admin, bot -> "unknown".equals(bot.getString("status")), "unknown");
    assertThat(lost.getString("reason")).startsWith("node_lost");

    assertThat(gateway.post("/api/v1/bots/drifter/start", admin).json().getString("node")).isEqualTo("pi-b");
    JsonObject moved = gateway.awaitBot("drifter", admin, bot -> "running".equals(bot.getString("status")), "running on pi-b");
    assertThat(cwdOf(moved.getLong("pid"))).startsWith(second.dataDir());

    Response kept = gateway.post("/api/v1/bots/keeper/start", admin);
    assertThat(kept.status()).isEqualTo(202);
    assertThat(kept.json().getString("node")).as("its process may still run on pi-a").isEqualTo("pi-a");
    assertThat(kept.json().getString("status")).isEqualTo("unknown");
    assertThat(alive(keeperPid)).isTrue();
  }

  @Test
  void aReportFromANodeTheBotIsNotOnIsNotTakenAndThatNodeLetsItsCopyGo() {
    node("pi-a", GPIO);
    TestNode stray = node("pi-x", Map.of("gpio", "false"));
    awaitOnline("pi-a", "pi-x");
    create("solo", selector(GPIO), SLEEPER);
    long pid = startedRunning("solo").getLong("pid");

    // a copy on pi-x, as a node that missed the bot's move would still hold it
    JsonObject command = new JsonObject().put("action", "start").put("bot_id", "solo")
        .put("spec", new JsonObject().put("id", "solo").put("command", SLEEPER));
    Await.result(gateway.vertx().eventBus().request(Addresses.executor("pi-x"), command));
    long strayPid = new JsonObject(read(stray.dataDir().resolve("bots/solo/process.json"))).getLong("pid");

    Await.until(() -> !alive(strayPid), "the copy on pi-x is stopped");
    awaitNode("pi-x", node -> node.getInteger("bots") == 0);
    JsonObject solo = gateway.get("/api/v1/bots/solo", admin).json();
    assertThat(solo.getString("status")).isEqualTo("running");
    assertThat(solo.getString("node")).isEqualTo("pi-a");
    assertThat(solo.getLong("pid")).isEqualTo(pid);
    assertThat(alive(pid)).isTrue();
  }

  @Test
  void aGatewayThatTakesTheLeadMarksTheBotsOfNodesThatNeverReportUnknownAndTheNodeReturns() {
    TestNode far = node("pi-far", GPIO);
    awaitOnline("pi-far");
    create("far-bot", selector(GPIO), SLEEPER);
    JsonObject running = startedRunning("far-bot");

    // the gateway goes down, and pi-far dies meanwhile: nobody sees it go offline
    gateway.close();
    startGateway();
    JsonObject lost = gateway.awaitBot("far-bot", admin, bot -> "unknown".equals(bot.getString("status")), "unknown");
    assertThat(lost.getString("reason")).startsWith("node_lost: no heartbeat from node 'pi-far'");
    assertThat(lost.getString("node")).isEqualTo("pi-far");
    assertThat(lost.getLong("status_version")).isGreaterThan(running.getLong("status_version"));

    node("pi-far", GPIO, far.dataDir());
    JsonObject back = gateway.awaitBot("far-bot", admin, bot -> "running".equals(bot.getString("status")), "adopted again");
    assertThat(back.getLong("pid")).isEqualTo(running.getLong("pid"));
    gateway.post("/api/v1/bots/far-bot/stop", admin);
    gateway.awaitBot("far-bot", admin, bot -> "stopped".equals(bot.getString("status")), "stopped");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private TestNode node(String id, Map<String, String> labels) {
    return node(id, labels, dataDir.resolve(id));
  }

  private TestNode node(String id, Map<String, String> labels, Path data) {
    TestNode node = TestNode.start(gateway, id, labels, data);
    nodes.add(node);
    return node;
  }

  private static JsonObject selector(Map<String, String> labels) {
    return new JsonObject().put("labels", new JsonObject(Map.copyOf(labels)));
  }

  private JsonObject create(String id, JsonObject placement, List<String> command) {
    Response created = gateway.send("POST", "/api/v1/bots",
        new JsonObject().put("id", id).put("command", command).put("placement", placement), admin);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private Response patch(String id, JsonObject patch) {
    return gateway.send("PATCH", "/api/v1/bots/" + id, patch, admin);
  }

  private JsonObject startedRunning(String id) {
    Response started = gateway.post("/api/v1/bots/" + id + "/start", admin);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return gateway.awaitBot(id, admin, bot -> "running".equals(bot.getString("status")), "running");
  }

  private void awaitOnline(String... ids) {
    for (String id : ids) {
      awaitNode(id, node -> node.getBoolean("online", false));
    }
  }

  private void awaitNode(String id, Predicate<JsonObject> condition) {
    Await.until(() -> {
      Response response = gateway.get("/api/v1/nodes/" + id, admin);
      return response.status() == 200 && condition.test(response.json());
    }, "node " + id);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Path cwdOf(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
