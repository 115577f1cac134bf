package io.codex32.edge;

import static io.codex32.edge.ClusterApi.alive;
import static io.codex32.edge.ClusterApi.environment;
import static io.codex32.edge.ClusterApi.get;
import static io.codex32.edge.ClusterApi.getArray;
import static io.codex32.edge.ClusterApi.login;
import static io.codex32.edge.ClusterApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.edge.ClusterApi.Read;
import io.codex32.test.Speech;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway and an edge node from the built jars on one clustered event bus (127.0.0.1): the edge
 * node appears in the gateway's node list, a bot placed on it and started by a command spoken to the
 * gateway (recognised by the edge node's own engine) runs there, its GPIO pins (Pi4J's mock
 * platform) answer every action through the gateway, losing the edge node is noticed (its bots
 * become unknown, its GPIO 503 at once), and when it returns it adopts and reports the bot it still
 * runs: running again, exactly once.
 */
@Timeout(300)
class ClusterIT {

  static final String ADMIN_PASSWORD = "cluster-admin-password";
  /** The edge node's pins, on Pi4J's mock platform: nothing here has GPIO hardware. */
  private static final String GPIO_PINS = new JsonArray()
      .add(new JsonObject().put("name", "relay").put("bcm", 17).put("mode", "output"))
      .add(new JsonObject().put("name", "button").put("bcm", 27).put("mode", "input").put("pull", "up"))
      .add(new JsonObject().put("name", "fan").put("bcm", 18).put("mode", "pwm"))
      .encode();

  @TempDir
  Path dir;
  private ClusterMember gateway;
  private ClusterMember edge;
  private Long botPid;

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (botPid != null) {
      ProcessHandle.of(botPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aBotPlacedOnAnEdgeNodeRunsThereAndTheNodesLossIsNoticed() throws Exception {
    int clusterPort = ClusterMember.freePort();
    String seed = "127.0.0.1:" + clusterPort;
    gateway = ClusterMember.gateway("gateway", dir.resolve("gateway"), clusterPort, Map.of("CODEX32_CLUSTER_MEMBERS", seed,
        "CODEX32_NODES_OFFLINE_AFTER_MS", "3000", "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "4000")).awaitUp("gateway is up");
    String base = "http://127.0.0.1:" + gateway.httpPort();
    edge = ClusterMember.edge("edge", dir.resolve("edge"), edgeEnv(seed, base)).awaitUp("is up on port");
    String token = login(base);

    JsonObject node = await(() -> get(base, "/api/v1/nodes/pi-attic", token), n -> n.getBoolean("online", false), "pi-attic online");
    assertThat(node.getJsonObject("labels").getString("room")).isEqualTo("attic");

    JsonObject spec = new JsonObject().put("id", "attic-ticker").put("placement", new JsonObject().put("node", "pi-attic"))
        .put("command", List.of("sh", "-c", "while true; do echo tick; sleep 0.2; done"));
    assertThat(send(base, "POST", "/api/v1/bots", spec, token).statusCode()).isEqualTo(201);
    startSpokenOnTheEdge(base, token);
    JsonObject running = await(() -> get(base, "/api/v1/bots/attic-ticker", token), b -> "running".equals(b.getString("status")),
        "bot running");
    assertThat(running.getString("node")).isEqualTo("pi-attic");
    botPid = running.getLong("pid");
    // the process runs in the edge node's bot directory, not the gateway's
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + botPid + "/cwd"))).isEqualTo(dir.resolve("edge/bots/attic-ticker").toRealPath());
    // the gateway gave the edge bot its token, and the edge node told it where the gateway is
    Map<String, String> env = environment(botPid);
    assertThat(env.get("CODEX32_API_URL")).isEqualTo(base);
    HttpResponse<String> self = send(base, "GET", "/api/v1/self", null, env.get("CODEX32_BOT_TOKEN"));
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    assertThat(new JsonObject(self.body()).getJsonObject("bot").getString("id")).isEqualTo("attic-ticker");
    JsonArray lines = await(() -> new JsonObject().put("items", getArray(base, "/api/v1/bots/attic-ticker/logs?tail=5", token)),
        l -> !l.getJsonArray("items").isEmpty(), "log lines from the edge").getJsonArray("items");
    assertThat(lines.getJsonObject(0).getString("line")).isEqualTo("tick");

    gpioThroughTheGatewayOnTheMock(base, token);

    Instant killed = Instant.now();
    edge.kill();
    await(() -> get(base, "/api/v1/nodes/pi-attic", token), n -> !n.getBoolean("online", true), "pi-attic offline");
    Duration detection = Duration.between(killed, Instant.now());
    assertThat(detection).isLessThan(Duration.ofSeconds(10));
    Instant asked = Instant.now();
    HttpResponse<String> offline = gpio(base, token, "relay", new JsonObject().put("action", "toggle"));
    assertThat(offline.statusCode()).as(offline.body()).isEqualTo(503);
    assertThat(new JsonObject(offline.body()).getJsonObject("error").getString("code")).isEqualTo("node_unavailable");
    assertThat(Duration.between(asked, Instant.now())).as("an offline node is answered at once").isLessThan(Duration.ofSeconds(1));
    JsonObject unknown = await(() -> get(base, "/api/v1/bots/attic-ticker", token), b -> "unknown".equals(b.getString("status")),
        "bot unknown");
    assertThat(unknown.getString("reason")).startsWith("node_lost");
    assertThat(alive(botPid)).as("the bot outlives its executor").isTrue();

    // the node returns: it adopts the bot it still runs, reports it, and nothing runs twice
    edge = ClusterMember.edge("edge-again", dir.resolve("edge"), edgeEnv(seed, base)).awaitUp("is up on port");
    JsonObject back = await(() -> get(base, "/api/v1/bots/attic-ticker", token), b -> "running".equals(b.getString("status")),
        "bot running again");
    assertThat(back.getLong("pid")).isEqualTo(botPid);
    assertThat(ticking(dir.resolve("edge/bots/attic-ticker").toRealPath())).containsExactly(botPid);
  }

  @Test
  void whenTheLeadingGatewayDiesTheOtherLeadsWithinSeconds() throws Exception {
    int portA = ClusterMember.freePort();
    int portB = ClusterMember.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    gateway = ClusterMember.gateway("gateway-a", dir.resolve("a"), portA, Map.of("CODEX32_CLUSTER_MEMBERS", seeds,
        "CODEX32_NODE_ID", "gw-a", "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "4000")).awaitUp("gateway is up");
    ClusterMember second = ClusterMember.gateway("gateway-b", dir.resolve("b"), portB, Map.of("CODEX32_CLUSTER_MEMBERS", seeds,
        "CODEX32_NODE_ID", "gw-b", "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "4000")).awaitUp("gateway is up");
    try {
      String baseA = "http://127.0.0.1:" + gateway.httpPort();
      String baseB = "http://127.0.0.1:" + second.httpPort();
      assertThat(get(baseA, "/health/detailed", null).getBoolean("leader")).isTrue();
      assertThat(get(baseB, "/health/detailed", null).getBoolean("leader")).isFalse();
      // both see both nodes: one cluster
      String tokenB = login(baseB);
      await(() -> new JsonObject().put("items", getArray(baseB, "/api/v1/nodes", tokenB)), n -> n.getJsonArray("items").size() == 2,
          "gateway b sees both nodes");

      Instant killed = Instant.now();
      gateway.kill();
      await(() -> get(baseB, "/health/detailed", null), h -> h.getBoolean("leader", false), "gateway b leading");
      assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(15));
      assertThat(send(baseB, "GET", "/api/v1/nodes/gw-b", null, tokenB).statusCode()).isEqualTo(200);
    } finally {
      second.close();
    }
  }

  /**
   * "Start the attic ticker", said to the gateway's {@code /ws/command} and recognised on the edge
   * node's own engine (voice.engine auto: PocketSphinx) over the clustered bus. Without espeak-ng and
   * sox no speech can be made: the bot is then started through the REST API, so that the rest of the
   * scenario still runs.
   */
  private void startSpokenOnTheEdge(String base, String token) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/espeak-ng")) || !Files.isExecutable(Path.of("/usr/bin/sox"))) {
      assertThat(send(base, "POST", "/api/v1/bots/attic-ticker/start", null, token).statusCode()).isEqualTo(202);
      return;
    }
    try (CommandSocket socket = CommandSocket.open(base, token)) {
      socket.speak("pi-attic", Speech.pcm("start the attic ticker"));
      JsonObject started = socket.next(30);
      assertThat(started.getString("type")).as(started.encode() + "\n" + ClusterApi.tails(gateway, edge)).isEqualTo("audio_started");
      assertThat(started.getString("node")).isEqualTo("pi-attic");
      JsonObject frame = socket.next(30);
      while ("partial".equals(frame.getString("type"))) {
        frame = socket.next(30);
      }
      assertThat(frame.getString("type")).as(frame.encode()).isEqualTo("transcript");
      assertThat(frame.getString("text")).isEqualTo("start the attic ticker");
      JsonObject reply = socket.next(30);
      assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("reply");
      assertThat(reply.getString("intent")).isEqualTo("start_bot");
      assertThat(reply.getJsonObject("result").getString("id")).isEqualTo("attic-ticker");
    }
  }

  private static Map<String, String> edgeEnv(String seed, String gatewayUrl) {
    return Map.of("CODEX32_GATEWAY_API_URL", gatewayUrl, "CODEX32_CLUSTER_MEMBERS", seed, "CODEX32_NODE_ID", "pi-attic",
        "CODEX32_NODE_LABELS", "room=attic",
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "500", "CODEX32_EXECUTOR_ALLOWED_COMMANDS", "sh", "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS",
        "4000", "CODEX32_GPIO_ENABLED", "true", "CODEX32_GPIO_PROVIDER", "mock", "CODEX32_GPIO_PINS", GPIO_PINS);
  }

  /** Every GPIO action, through the gateway's REST API and the clustered bus, on the edge node's mock pins. */
  private void gpioThroughTheGatewayOnTheMock(String base, String token) throws Exception {
    JsonObject pins = get(base, "/api/v1/nodes/pi-attic/gpio", token);
    assertThat(pins.getBoolean("simulated")).isTrue();
    assertThat(pins.getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("name")).toList())
        .containsExactly("relay", "button", "fan");
    assertThat(get(base, "/api/v1/nodes/pi-attic/gpio/relay", token).getString("value")).isEqualTo("low");

    assertThat(pin(gpio(base, token, "relay", new JsonObject().put("action", "write").put("value", "high"))).getString("value"))
        .isEqualTo("high");
    assertThat(pin(gpio(base, token, "relay", new JsonObject().put("action", "toggle"))).getString("value")).isEqualTo("low");
    assertThat(pin(gpio(base, token, "relay", new JsonObject().put("action", "pulse").put("duration_ms", 300))).getString("value"))
        .isEqualTo("high");
    await(() -> get(base, "/api/v1/nodes/pi-attic/gpio/relay", token), p -> "low".equals(p.getString("value")), "the pulse to end");
    assertThat(pin(gpio(base, token, "fan", new JsonObject().put("action", "pwm").put("duty", 40))).getDouble("duty")).isEqualTo(40.0);
    assertThat(get(base, "/api/v1/nodes/pi-attic/gpio/button", token).getString("mode")).isEqualTo("input");

    HttpResponse<String> onInput = gpio(base, token, "button", new JsonObject().put("action", "write").put("value", "low"));
    assertThat(onInput.statusCode()).as(onInput.body()).isEqualTo(409);
    HttpResponse<String> tooMuch = gpio(base, token, "fan", new JsonObject().put("action", "pwm").put("duty", 101));
    assertThat(tooMuch.statusCode()).as(tooMuch.body()).isEqualTo(422);
    assertThat(gpio(base, token, "siren", new JsonObject().put("action", "toggle")).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> gpio(String base, String token, String pin, JsonObject action) throws Exception {
    return send(base, "POST", "/api/v1/nodes/pi-attic/gpio/" + pin, action, token);
  }

  private static JsonObject pin(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private JsonObject await(Read read, Predicate<JsonObject> condition, String what) throws Exception {
    return ClusterApi.await(read, condition, what, () -> ClusterApi.tails(gateway, edge));
  }

  /** The bot's main processes (the looping shell, not its short-lived sleeps), found by their working directory. */
  private static List<Long> ticking(Path botDir) {
    return ClusterApi.processesIn(botDir, "while true");
  }
}
