package io.codex32.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GPIO REST routes of a real gateway whose own node {@code local} runs its GPIO on Pi4J's mock
 * platform (enabled through the environment, as an operator would): every action, the errors, the
 * permissions, the audit record with the old and new state, and a bot driving the pins its spec
 * grants through {@code /api/v1/self/gpio}.
 */
@Timeout(120)
class GpioApiMockTest {

  private static final String PINS = new JsonArray()
      .add(new JsonObject().put("name", "relay").put("bcm", 17).put("mode", "output"))
      .add(new JsonObject().put("name", "lamp").put("bcm", 22).put("mode", "output").put("label", "Desk lamp"))
      .add(new JsonObject().put("name", "button").put("bcm", 27).put("mode", "input").put("pull", "up"))
      .add(new JsonObject().put("name", "fan").put("bcm", 18).put("mode", "pwm"))
      .add(new JsonObject().put("name", "door").put("bcm", 23).put("mode", "output"))
      .add(new JsonObject().put("name", "siren").put("bcm", 24).put("mode", "output"))
      .encode();

  private static TestGateway gateway;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-gpio-api"), Map.of(
        "CODEX32_GPIO_ENABLED", "true",
        "CODEX32_GPIO_PROVIDER", "mock",
        "CODEX32_GPIO_PINS", PINS,
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200",
        "CODEX32_NODES_OFFLINE_AFTER_MS", "1000"));
    admin = gateway.adminToken();
    Await.until(() -> gateway.get("/api/v1/nodes/local", admin).status() == 200, "the local node reporting");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void everyDeclaredPinIsReadWithItsStateAndSimulatedOnTheMock() {
    Response all = gateway.get("/api/v1/nodes/local/gpio", admin);

    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    JsonObject body = all.json();
    assertThat(body.getString("node")).isEqualTo("local");
    assertThat(body.getBoolean("simulated")).isTrue();
    assertThat(body.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("name")))
        .containsExactly("relay", "lamp", "button", "fan", "door", "siren");
    assertThat(body.getJsonArray("items").getJsonObject(3)).isEqualTo(new JsonObject().put("name", "fan").put("bcm", 18)
        .put("mode", "pwm").put("duty", 0.0).put("frequency_hz", 1000).putNull("label").put("simulated", true));

    assertThat(gateway.get("/api/v1/nodes/local/gpio/lamp", admin).json()).isEqualTo(new JsonObject().put("name", "lamp")
        .put("bcm", 22).put("mode", "output").put("value", "low").put("label", "Desk lamp").put("simulated", true));
    assertThat(gateway.get("/api/v1/nodes/local/gpio/button", admin).json().getString("mode")).isEqualTo("input");
  }

  @Test
  void everyActionWorksThroughRestOnTheMock() {
    assertThat(act("relay", write("high")).getString("value")).isEqualTo("high");
    assertThat(act("relay", action("toggle")).getString("value")).isEqualTo("low");

    JsonObject pulsed = act("relay", action("pulse").put("duration_ms", 200));
    assertThat(pulsed.getString("value")).as("high (the default) during the pulse").isEqualTo("high");
    Await.until(() -> gateway.get("/api/v1/nodes/local/gpio/relay", admin).json(), pin -> "low".equals(pin.getString("value")),
        "the relay back low after its pulse");

    JsonObject fan = act("fan", action("pwm").put("duty", 25).put("frequency_hz", 2000));
    assertThat(fan.getDouble("duty")).isEqualTo(25.0);
    assertThat(fan.getInteger("frequency_hz")).isEqualTo(2000);
    assertThat(fan.getBoolean("simulated")).isTrue();
    assertThat(act("fan", action("pwm").put("duty", 0)).getInteger("frequency_hz")).as("frequency kept").isEqualTo(2000);
  }

  @Test
  void unknownNodeOrPinIs404WrongModeIs409OutOfRangeIs422BadBodyIs400OnTheMock() {
    assertThat(gateway.get("/api/v1/nodes/nowhere/gpio", admin).status()).isEqualTo(404);
    assertThat(post("/api/v1/nodes/nowhere/gpio/relay", write("high")).status()).isEqualTo(404);
    assertThat(gateway.get("/api/v1/nodes/local/gpio/nothing", admin).status()).isEqualTo(404);
    assertThat(post("/api/v1/nodes/local/gpio/nothing", action("toggle")).status()).isEqualTo(404);

    Response onInput = post("/api/v1/nodes/local/gpio/button", write("high"));
    assertThat(onInput.status()).isEqualTo(409);
    assertThat(onInput.errorCode()).isEqualTo("wrong_pin_mode");
    Response tooMuch = post("/api/v1/nodes/local/gpio/fan", action("pwm").put("duty", 101));
    assertThat(tooMuch.status()).isEqualTo(422);
    assertThat(tooMuch.errorCode()).isEqualTo("out_of_range");
    assertThat(post("/api/v1/nodes/local/gpio/relay", action("pulse").put("duration_ms", 60_001)).status()).isEqualTo(422);

    for (JsonObject bad : List.of(action("explode"), new JsonObject(), action("write"), write("up"), action("toggle").put("value", "high"),
        action("pwm").put("duty", "half"), action("toggle").put("colour", "red"), action("pulse"))) {
      Response refused = post("/api/v1/nodes/local/gpio/relay", bad);
      assertThat(refused.status()).as(bad.encode() + " → " + refused).isEqualTo(400);
    }
  }

  @Test
  void aViewerReadsButMayNotDrivePinsOnTheMock() {
    String viewer = gateway.tokenFor("gpio-viewer", "viewer");
    String user = gateway.tokenFor("gpio-user", "user");
    String operator = gateway.tokenFor("gpio-operator", "operator");

    assertThat(gateway.get("/api/v1/nodes/local/gpio", viewer).status()).isEqualTo(200);
    assertThat(gateway.get("/api/v1/nodes/local/gpio/relay", viewer).status()).isEqualTo(200);
    assertThat(gateway.send("POST", "/api/v1/nodes/local/gpio/siren", action("toggle"), viewer).status()).isEqualTo(403);
    assertThat(gateway.send("POST", "/api/v1/nodes/local/gpio/siren", action("toggle"), user).status()).isEqualTo(403);
    assertThat(gateway.send("POST", "/api/v1/nodes/local/gpio/siren", action("toggle"), operator).status()).isEqualTo(200);
  }

  @Test
  void aNodeKnownOfflineOrWithoutGpioIs503AtOnce() {
    heartbeat("pi-gone");
    Await.until(() -> gateway.get("/api/v1/nodes/pi-gone", admin).json(), node -> !node.getBoolean("online"), "pi-gone offline");

    long started = System.nanoTime();
    Response offline = post("/api/v1/nodes/pi-gone/gpio/relay", write("high"));
    assertThat(offline.status()).isEqualTo(503);
    assertThat(offline.errorCode()).isEqualTo("node_unavailable");
    Response read = gateway.get("/api/v1/nodes/pi-gone/gpio", admin);
    assertThat(read.status()).isEqualTo(503);
    assertThat((System.nanoTime() - started) / 1_000_000).as("ms for both answers").isLessThan(1_000);

    heartbeat("pi-no-gpio");
    Await.until(() -> gateway.get("/api/v1/nodes/pi-no-gpio", admin).status() == 200, "pi-no-gpio known");
    Response noGpio = gateway.get("/api/v1/nodes/pi-no-gpio/gpio/relay", admin);
    assertThat(noGpio.status()).as("online, but nothing answers on its GPIO address").isEqualTo(503);
    assertThat(noGpio.errorCode()).isEqualTo("node_unavailable");
  }

  @Test
  void everyChangeIsAuditedWithNodePinOldAndNewOnTheMock() {
    act("door", write("high"));
    act("door", write("high"));
    act("fan", action("pwm").put("duty", 40).put("frequency_hz", 500));

    JsonArray records = gateway.get("/api/v1/audit?action=setNodeGpio&limit=500", admin).json().getJsonArray("items");
    List<String> details = records.stream().map(record -> ((JsonObject) record).getString("details")).filter(d -> d != null).toList();
    assertThat(details).contains("node=local pin=door old=low new=high", "node=local pin=door old=high new=high");
    assertThat(details.stream().filter(d -> d.startsWith("node=local pin=fan") && d.endsWith(" new=40.0%@500Hz"))).hasSize(1);
    JsonObject door = records.stream().map(JsonObject.class::cast)
        .filter(record -> "node=local pin=door old=low new=high".equals(record.getString("details"))).findFirst().orElseThrow();
    assertThat(door.getString("actor")).isEqualTo("admin");
    assertThat(door.getString("target")).isEqualTo("local");
    assertThat(door.getString("result")).isEqualTo("success");
    assertThat(gateway.get("/api/v1/audit/verify", admin).json().getBoolean("intact")).isTrue();
  }

  @Test
  void aBotDrivesOnlyTheGrantedPinsOfItsNodeThroughSelfOnTheMock() {
    createBot(new JsonObject().put("id", "relay-bot").put("gpio", new JsonArray().add("relay")).put("placement", node("local")));
    createBot(new JsonObject().put("id", "plain-bot").put("placement", node("local")));
    createBot(new JsonObject().put("id", "waiting-bot").put("gpio", new JsonArray().add("relay"))
        .put("placement", new JsonObject().put("labels", new JsonObject().put("room", "nowhere"))));
    assertThat(gateway.get("/api/v1/bots/relay-bot", admin).json().getJsonArray("gpio")).containsExactly("relay");
    assertThat(gateway.get("/api/v1/bots/plain-bot", admin).json().containsKey("gpio")).as("absent when not granted").isFalse();
    String granted = gateway.botToken("relay-bot");

    String before = gateway.get("/api/v1/self/gpio/relay", granted).json().getString("value");
    Response toggled = gateway.send("POST", "/api/v1/self/gpio/relay", action("toggle"), granted);
    assertThat(toggled.status()).as(toggled.toString()).isEqualTo(200);
    assertThat(toggled.json().getString("value")).isNotEqualTo(before);
    assertThat(toggled.json().getBoolean("simulated")).isTrue();
    assertThat(gateway.get("/api/v1/nodes/local/gpio/relay", admin).json().getString("value")).isEqualTo(toggled.json().getString("value"));

    assertThat(gateway.send("POST", "/api/v1/self/gpio/lamp", action("toggle"), granted).status()).isEqualTo(403);
    assertThat(gateway.get("/api/v1/self/gpio/lamp", granted).status()).isEqualTo(403);
    assertThat(gateway.send("POST", "/api/v1/self/gpio/relay", action("toggle"), gateway.botToken("plain-bot")).status()).isEqualTo(403);
    assertThat(gateway.send("POST", "/api/v1/nodes/local/gpio/relay", action("toggle"), granted).status())
        .as("a bot token opens the self routes only").isEqualTo(401);
    Response waiting = gateway.send("POST", "/api/v1/self/gpio/relay", action("toggle"), gateway.botToken("waiting-bot"));
    assertThat(waiting.status()).as("no node yet").isEqualTo(409);

    JsonArray records = gateway.get("/api/v1/audit?action=setSelfGpio", admin).json().getJsonArray("items");
    assertThat(records.stream().map(JsonObject.class::cast).filter(r -> "success".equals(r.getString("result")))
        .map(r -> r.getString("actor") + " " + r.getString("details")))
        .containsExactly("bot:relay-bot node=local pin=relay old=" + before + " new=" + toggled.json().getString("value"));
  }

  @Test
  void aGpioGrantIsValidatedAndAPatchWithNullRemovesIt() {
    for (JsonArray bad : List.of(new JsonArray().add("Relay 1"), new JsonArray().add("relay").add("relay"), new JsonArray().add(17))) {
      Response refused = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "bad-grant").put("gpio", bad)
          .put("command", List.of("python3", "bot.py")), admin);
      assertThat(refused.status()).as(bad.encode() + " → " + refused).isEqualTo(400);
    }
    createBot(new JsonObject().put("id", "granted-once").put("gpio", new JsonArray().add("siren")).put("placement", node("local")));
    Response patched = gateway.send("PATCH", "/api/v1/bots/granted-once", new JsonObject().putNull("gpio"), admin);
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().containsKey("gpio")).isFalse();
    assertThat(gateway.get("/api/v1/self/gpio/siren", gateway.botToken("granted-once")).status()).isEqualTo(403);
  }

  private static JsonObject act(String pin, JsonObject body) {
    Response response = post("/api/v1/nodes/local/gpio/" + pin, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static Response post(String path, JsonObject body) {
    return gateway.send("POST", path, body, admin);
  }

  private static JsonObject action(String action) {
    return new JsonObject().put("action", action);
  }

  private static JsonObject write(String value) {
    return action("write").put("value", value);
  }

  private static JsonObject node(String id) {
    return new JsonObject().put("node", id);
  }

  private static void createBot(JsonObject spec) {
    Response created = gateway.send("POST", "/api/v1/bots", spec.put("command", List.of("python3", "bot.py")), admin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  /** One heartbeat of another node, as it would arrive over the clustered bus. */
  private static void heartbeat(String id) {
    NodeHeartbeat heartbeat = new NodeHeartbeat(id, id + ".lan", Map.of(), 4, 3_800, 12.5, 900, 0.4, "0.1.0", 0, Instant.now(), null);
    gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, heartbeat.toJson());
  }
}
