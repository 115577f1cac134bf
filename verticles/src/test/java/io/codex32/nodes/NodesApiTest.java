package io.codex32.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/nodes: the gateway's own node announces itself; a node that falls silent turns offline. */
@Timeout(120)
class NodesApiTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private String viewer;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir, Map.of(
        "CODEX32_EXECUTOR_ALLOWED_COMMANDS", "python3",
        "CODEX32_NODE_LABELS", "room=kitchen, arch=amd64",
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200",
        "CODEX32_NODES_OFFLINE_AFTER_MS", "1500"));
    viewer = gateway.tokenFor("watcher", "viewer");
  }

  @AfterEach
  void stop() {
    gateway.closeWithBots();
  }

  @Test
  void theGatewaysOwnNodeIsListedOnlineWithItsCapacityLabelsAndBots() {
    JsonObject local = awaitNode("local", node -> node.getBoolean("online", false));
    assertThat(local.getJsonObject("labels").getMap()).containsEntry("room", "kitchen").containsEntry("arch", "amd64");
    assertThat(local.getJsonObject("capacity").getInteger("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(local.getJsonObject("capacity").getLong("memory_mb")).isPositive();
    assertThat(local.getJsonObject("load").getLong("memory_used_mb")).isPositive();
    assertThat(local.getString("version")).isEqualTo("0.1.0");
    assertThat(local.getString("hostname")).isNotBlank();
    assertThat(local.getInteger("bots")).isZero();
    assertThat(local.getValue("link")).as("no cluster link on the gateway's own node").isNull();

    String admin = gateway.adminToken();
    gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "ticker")
        .put("command", List.of("python3", TestGateway.botScript("ticker.py"))), admin);
    assertThat(gateway.post("/api/v1/bots/ticker/start", admin).status()).isEqualTo(202);
    awaitNode("local", node -> node.getInteger("bots") == 1);

    JsonArray items = gateway.get("/api/v1/nodes", viewer).json().getJsonArray("items");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getString("id")).isEqualTo("local");
  }

  @Test
  void aNodeWhoseHeartbeatsStopTurnsOfflineAndIsKept() {
    heartbeat("pi-attic");
    JsonObject online = awaitNode("pi-attic", node -> node.getBoolean("online", false));
    assertThat(online.getJsonObject("capacity").getInteger("cores")).isEqualTo(4);
    // what the edge node's cluster link counted travels with its heartbeat
    assertThat(online.getJsonObject("link").getLong("events_dropped")).isEqualTo(3);

    JsonObject offline = awaitNode("pi-attic", node -> !node.getBoolean("online", true));
    assertThat(offline.getString("last_seen")).isEqualTo(online.getString("last_seen"));

    heartbeat("pi-attic");
    awaitNode("pi-attic", node -> node.getBoolean("online", false));
  }

  @Test
  void malformedHeartbeatsAreIgnored() {
    awaitNode("local", node -> node.getBoolean("online", false));
    String now = Instant.now().toString();
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, new JsonObject().put("id", "../etc").put("time", now));
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, new JsonObject().put("id", "no-time"));
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, "not json");
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, new JsonObject().put("id", "bad-capacity").put("capacity", "many")
        .put("time", Instant.now().toString()));
    heartbeat("pi-after");
    awaitNode("pi-after", node -> true);

    List<String> ids = gateway.get("/api/v1/nodes", viewer).json().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("id")).toList();
    assertThat(ids).containsExactly("local", "pi-after");
  }

  @Test
  void anUnknownNodeIs404() {
    Response response = gateway.get("/api/v1/nodes/nowhere", viewer);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo("not_found");
  }

  /** What an edge node's heartbeat verticle publishes, sent as it would arrive over the clustered bus. */
  private void heartbeat(String id) {
    NodeHeartbeat heartbeat = new NodeHeartbeat(id, id + ".lan", Map.of("room", "attic"), 4, 3_800, 12.5, 900, 0.4, "0.1.0", 2,
        Instant.now(), new NodeHeartbeat.LinkCounters(3, 7));
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, heartbeat.toJson());
  }

  private JsonObject awaitNode(String id, Predicate<JsonObject> condition) {
    return Await.until(() -> gateway.get("/api/v1/nodes/" + id, viewer), last -> last.status() == 200 && condition.test(last.json()),
        "node " + id + " in the expected state").json();
  }
}
