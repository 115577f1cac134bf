package io.codex32.edge;

import static io.codex32.edge.ClusterApi.get;
import static io.codex32.edge.ClusterApi.getArray;
import static io.codex32.edge.ClusterApi.login;
import static io.codex32.edge.ClusterApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.edge.ClusterApi.Read;
import io.codex32.test.TestPostgres;
import io.codex32.test.TestRedis;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet as operators run it, every part a real process on 127.0.0.1: two gateways on one
 * PostgreSQL and one Redis, two edge nodes. The edge nodes come up before any gateway; a bot
 * started through gateway A is placed by its label on edge 2 and seen running through gateway B
 * (API and WebSocket); the leader dies and B takes over; edge 2 dies and returns (B marks its bot
 * unknown, then running, exactly once); with no gateway at all edge 2 restarts its crashed bot on
 * its own and, when a gateway returns, sends what happened meanwhile.
 */
@Timeout(600)
class FleetIT {

  private static final String BOT = "cellar-ticker";
  private static final String LOOP = "while true; do echo tick; sleep 0.2; done";

  @TempDir
  Path dir;
  private final List<ClusterMember> members = new ArrayList<>();
  private TestRedis redis;
  private String pgUrl;
  private WebSocket socket;

  @AfterEach
  void stop() throws Exception {
    if (socket != null) {
      socket.abort();
    }
    for (ClusterMember member : members) {
      member.close();
    }
    ClusterApi.processesIn(dir.resolve("edge-2/bots/" + BOT).toRealPath(), LOOP)
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void twoGatewaysTwoEdgeNodesOneDatabase() throws Exception {
    redis = TestRedis.startNew();
    pgUrl = TestPostgres.shared().createDatabase("fleet");
    int portA = ClusterMember.freePort();
    int portB = ClusterMember.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;

    // edge nodes first: they come up, and wait for a gateway, on their own
    ClusterMember edge1 = edge("edge-1", "pi-attic", "room=attic", seeds);
    ClusterMember edge2 = edge("edge-2", "pi-cellar", "room=cellar", seeds);
    assertThat(edgeHealth(edge1).getJsonObject("cluster").getBoolean("connected")).isFalse();

    ClusterMember gatewayA = gateway("gateway-a", "gw-a", portA, seeds, Map.of());
    // B signs and checks tokens with A's keys: one sign-in works on both
    Path keys = dir.resolve("gateway-a/keys");
    ClusterMember gatewayB = gateway("gateway-b", "gw-b", portB, seeds, Map.of(
        "CODEX32_AUTH_JWT_PRIVATE_KEY", keys.resolve("jwt-es256-private.pem").toString(),
        "CODEX32_AUTH_JWT_PUBLIC_KEY", keys.resolve("jwt-es256-public.pem").toString()));
    String a = "http://127.0.0.1:" + gatewayA.httpPort();
    String b = "http://127.0.0.1:" + gatewayB.httpPort();
    String token = login(a);
    await(() -> new JsonObject().put("items", getArray(b, "/api/v1/nodes", token)), nodes -> nodes.getJsonArray("items").stream()
        .filter(n -> ((JsonObject) n).getBoolean("online")).count() == 4, "both gateways and both edge nodes online, seen from B");
    assertThat(get(a, "/health/detailed", null).getBoolean("leader")).isTrue();

    // a bot started through A runs on edge 2, and B shows it, through the API and live
    Queue<JsonObject> events = subscribe(b, token, "bots/" + BOT);
    // placed by label: only edge 2 is in the cellar
    JsonObject cellar = new JsonObject().put("labels", new JsonObject().put("room", "cellar"));
    JsonObject spec = new JsonObject().put("id", BOT).put("placement", cellar)
        .put("command", List.of("sh", "-c", LOOP))
        .put("restart", new JsonObject().put("policy", "always").put("backoff_initial_ms", 100));
    assertThat(send(a, "POST", "/api/v1/bots", spec, token).statusCode()).isEqualTo(201);
    assertThat(send(a, "POST", "/api/v1/bots/" + BOT + "/start", null, token).statusCode()).isEqualTo(202);
    JsonObject running = await(() -> get(b, "/api/v1/bots/" + BOT, token), bot -> "running".equals(bot.getString("status")),
        "the bot running, seen from B");
    assertThat(running.getString("node")).isEqualTo("pi-cellar");
    long pid = running.getLong("pid");
    Path botDir = dir.resolve("edge-2/bots/" + BOT).toRealPath();
    assertThat(ClusterApi.processesIn(botDir, LOOP)).containsExactly(pid);
    await(() -> new JsonObject().put("seen", events.stream().anyMatch(e -> "running".equals(e.getJsonObject("data", new JsonObject())
        .getString("status")))), seen -> seen.getBoolean("seen"), "B's WebSocket client told the bot runs");

    // the leader dies: B leads and keeps serving
    Instant leaderKilled = Instant.now();
    gatewayA.kill();
    await(() -> get(b, "/health/detailed", null), health -> health.getBoolean("leader", false), "B leading");
    assertThat(Duration.between(leaderKilled, Instant.now())).isLessThan(Duration.ofSeconds(15));

    // edge 2 dies: B, now leading, marks its bot unknown; edge 2 returns: running again, exactly once
    Instant edgeKilled = Instant.now();
    edge2.kill();
    JsonObject unknown = await(() -> get(b, "/api/v1/bots/" + BOT, token), bot -> "unknown".equals(bot.getString("status")),
        "the bot unknown");
    assertThat(Duration.between(edgeKilled, Instant.now())).isLessThan(Duration.ofSeconds(12));
    assertThat(unknown.getString("reason")).startsWith("node_lost");
    edge2 = edge("edge-2-again", "pi-cellar", "room=cellar", seeds, "edge-2");
    JsonObject back = await(() -> get(b, "/api/v1/bots/" + BOT, token), bot -> "running".equals(bot.getString("status")),
        "the bot running again");
    assertThat(back.getLong("pid")).isEqualTo(pid);
    assertThat(ClusterApi.processesIn(botDir, LOOP)).containsExactly(pid);

    // no gateway at all: edge 2 keeps its bot, and restarts it when it crashes
    gatewayB.kill();
    ClusterMember edge2Alone = edge2;
    await(() -> edgeHealth(edge2Alone).getJsonObject("cluster"), cluster -> !cluster.getBoolean("connected"),
        "edge 2 noticing no gateway is left");
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    JsonObject restarted = await(() -> new JsonObject().put("pids", ClusterApi.processesIn(botDir, LOOP)),
        found -> found.getJsonArray("pids").size() == 1 && found.getJsonArray("pids").getLong(0) != pid,
        "edge 2 restarting the crashed bot");
    long newPid = restarted.getJsonArray("pids").getLong(0);
    assertThat(edgeHealth(edge2).getJsonObject("cluster").getInteger("events_buffered")).isPositive();

    // a gateway returns: edge 2 joins and sends what happened; the gateway shows the restart
    gatewayA = gateway("gateway-a-again", "gw-a", portA, seeds, Map.of(), "gateway-a");
    String again = "http://127.0.0.1:" + gatewayA.httpPort();
    String freshToken = login(again);
    JsonObject caughtUp = await(() -> get(again, "/api/v1/bots/" + BOT, freshToken),
        bot -> "running".equals(bot.getString("status")) && Long.valueOf(newPid).equals(bot.getLong("pid")),
        "the gateway showing the bot edge 2 restarted");
    assertThat(caughtUp.getInteger("restarts")).isGreaterThanOrEqualTo(1);
    JsonObject link = edgeHealth(edge2).getJsonObject("cluster");
    assertThat(link.getBoolean("connected")).isTrue();
    assertThat(link.getLong("events_replayed")).isPositive();
    assertThat(link.getLong("events_dropped")).isZero();
    String metrics = send("http://127.0.0.1:" + edge2.edgePort(), "GET", "/metrics", null, null).body();
    assertThat(metrics).contains("codex32_cluster_connected 1.0").contains("codex32_cluster_events_dropped_total 0.0")
        .containsPattern("codex32_cluster_events_replayed_total [1-9]");
    // and the gateway's view of the node says so too
    await(() -> get(again, "/api/v1/nodes/pi-cellar", freshToken), node -> node.getJsonObject("link", new JsonObject())
        .getLong("events_replayed", 0L) > 0, "the node's replayed events counted in the gateway's view");
    assertThat(ClusterApi.processesIn(botDir, LOOP)).containsExactly(newPid);
  }

  private ClusterMember gateway(String name, String nodeId, int clusterPort, String seeds, Map<String, String> extra, String... dataDir)
      throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("CODEX32_CLUSTER_MEMBERS", seeds, "CODEX32_NODE_ID", nodeId,
        "CODEX32_NODES_OFFLINE_AFTER_MS", "3000", "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "4000",
        "CODEX32_STORE", "postgres", "CODEX32_PG_URL", pgUrl));
    env.putAll(redis.env("fleet:"));
    env.putAll(extra);
    ClusterMember gateway = ClusterMember.gateway(name, dir.resolve(dataDir.length > 0 ? dataDir[0] : name), clusterPort, env);
    members.add(gateway);
    return gateway.awaitUp("gateway is up");
  }

  private ClusterMember edge(String name, String nodeId, String labels, String seeds, String... dataDir) throws Exception {
    ClusterMember edge = ClusterMember.edge(name, dir.resolve(dataDir.length > 0 ? dataDir[0] : name), Map.of(
        "CODEX32_CLUSTER_MEMBERS", seeds, "CODEX32_NODE_ID", nodeId, "CODEX32_NODE_LABELS", labels,
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "500", "CODEX32_EXECUTOR_ALLOWED_COMMANDS", "sh",
        "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "4000", "CODEX32_CLUSTER_REJOIN_INTERVAL_MS", "500"));
    members.add(edge);
    return edge.awaitUp("is up on port");
  }

  private static JsonObject edgeHealth(ClusterMember edge) throws Exception {
    return get("http://127.0.0.1:" + edge.edgePort(), "/health", null);
  }

  /** A WebSocket client on {@code base} subscribed to {@code topic}; the events it receives, as they come. */
  private Queue<JsonObject> subscribe(String base, String token, String topic) throws Exception {
    Queue<JsonObject> events = new ConcurrentLinkedQueue<>();
    socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("codex32.v1", "codex32.bearer." + token)
        .buildAsync(URI.create(base.replace("http:", "ws:") + "/ws/events"), new WebSocket.Listener() {
          private final StringBuilder frame = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
              events.add(new JsonObject(frame.toString()));
              frame.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).get(20, TimeUnit.SECONDS);
    socket.sendText(new JsonObject().put("op", "subscribe").put("topics", List.of(topic)).encode(), true).get(20, TimeUnit.SECONDS);
    return events;
  }

  private JsonObject await(Read read, Predicate<JsonObject> condition, String what) throws Exception {
    return ClusterApi.await(read, condition, what, () -> ClusterApi.tails(members.toArray(ClusterMember[]::new)));
  }
}
