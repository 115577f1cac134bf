package io.codex32.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Typed chat through {@code POST /api/v1/chat} on a real gateway whose executor really runs the bots
 * and whose own node drives GPIO on Pi4J's mock platform: every intent, the conversation's context
 * ("stop it", "and the pump?"), confirmation and cancel, fuzzy and ambiguous names, a viewer
 * refused, and each action audited with channel chat.
 */
@Timeout(120)
class ChatApiTest {

  private static final String PINS = new JsonArray()
      .add(new JsonObject().put("name", "relay").put("bcm", 17).put("mode", "output").put("label", "Garden light"))
      .add(new JsonObject().put("name", "valve").put("bcm", 22).put("mode", "output").put("confirm", true))
      .add(new JsonObject().put("name", "button").put("bcm", 27).put("mode", "input"))
      .encode();
  private static final AtomicInteger USERS = new AtomicInteger();

  private static TestGateway gateway;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.withExecutor(Files.createTempDirectory("codex32-chat-api"), Map.of(
        "CODEX32_GPIO_ENABLED", "true",
        "CODEX32_GPIO_PROVIDER", "mock",
        "CODEX32_GPIO_PINS", PINS,
        "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200"));
    admin = gateway.adminToken();
    for (String[] bot : new String[][] {{"weather-station", "Weather Station"}, {"pump-1", "Pump 1"}, {"pump-2", "Pump 2"},
        {"analytics-v1", "Analytics"}, {"mailer", "Mailer"}, {"feeder", "Feeder"}}) {
      Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", bot[0]).put("name", bot[1])
          .put("command", List.of("sh", TestGateway.botScript("silent.sh"))), admin);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
    Await.until(() -> gateway.get("/api/v1/nodes/local/gpio", admin).status() == 200, "the local node's GPIO");
  }

  @AfterAll
  static void stop() {
    gateway.closeWithBots();
  }

  /** A fresh operator, so that each test has a conversation of its own. */
  private static String operator() {
    return gateway.tokenFor("op" + USERS.incrementAndGet(), "operator");
  }

  private static JsonObject say(String token, String text) {
    Response response = gateway.send("POST", "/api/v1/chat", new JsonObject().put("text", text), token);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static String status(String bot) {
    return gateway.get("/api/v1/bots/" + bot, admin).json().getString("status");
  }

  private static void awaitStatus(String bot, String status) {
    gateway.awaitBot(bot, admin, json -> status.equals(json.getString("status")), "is " + status);
  }

  @Test
  void startingByDisplayNameRunsTheBotAndIsAuditedAsChat() {
    String token = operator();

    JsonObject reply = say(token, "Start the weather station!");

    assertThat(reply.getString("type")).isEqualTo("reply");
    assertThat(reply.getString("intent")).isEqualTo("start_bot");
    assertThat(reply.getJsonObject("slots").getString("bot")).isEqualTo("weather station");
    assertThat(reply.getString("text")).contains("weather-station");
    assertThat(reply.getJsonObject("result").getString("id")).isEqualTo("weather-station");
    awaitStatus("weather-station", "running");

    JsonObject record = gateway.get("/api/v1/audit?action=startBot&target=weather-station", admin).json().getJsonArray("items")
        .getJsonObject(0);
    assertThat(record.getString("channel")).isEqualTo("chat");
    assertThat(record.getString("result")).isEqualTo("success");
    assertThat(record.getString("actor")).startsWith("op");
    assertThat(gateway.get("/api/v1/audit?action=chat&result=success", admin).json().getInteger("total"))
        .as("the utterance itself is not a change").isZero();

    assertThat(say(token, "is it running?").getString("text")).contains("weather-station is running");
    assertThat(say(token, "list running bots").getJsonObject("result").getJsonArray("bots").stream()
        .map(b -> ((JsonObject) b).getString("id"))).contains("weather-station");
  }

  @Test
  void stoppingAsksFirstAndYesStopsItNoKeepsIt() {
    String token = operator();
    say(token, "start feeder");
    awaitStatus("feeder", "running");

    JsonObject question = say(token, "stop it");
    assertThat(question.getString("awaiting")).isEqualTo("confirmation");
    assertThat(question.getString("text")).contains("Stop feeder");
    assertThat(say(token, "no").getString("text")).isEqualTo("Cancelled.");
    assertThat(say(token, "yes").getString("text")).isEqualTo("There is nothing to confirm.");
    assertThat(status("feeder")).isEqualTo("running");

    say(token, "stop the feeder");
    JsonObject done = say(token, "yes");
    assertThat(done.getString("intent")).isEqualTo("stop_bot");
    assertThat(done.getString("text")).isEqualTo("Stopping feeder.");
    awaitStatus("feeder", "stopped");
  }

  @Test
  void aFollowUpRepeatsTheLastIntentForAnotherName() {
    String token = operator();

    assertThat(say(token, "status of mailer").getString("text")).startsWith("mailer is");
    JsonObject followUp = say(token, "and analytics v one?");

    assertThat(followUp.getString("intent")).isEqualTo("bot_status");
    assertThat(followUp.getString("text")).startsWith("analytics-v1 is");
  }

  @Test
  void aMisspelledNameIsFoundAnAmbiguousOneIsAskedAboutAndAnUnknownOneSaysSo() {
    String token = operator();

    assertThat(say(token, "what is the status of the wether staton").getString("text")).startsWith("weather-station is");

    JsonObject question = say(token, "start pump");
    assertThat(question.getString("awaiting")).isEqualTo("choice");
    assertThat(question.getString("text")).contains("pump-1").contains("pump-2");
    assertThat(status("pump-1")).isNotEqualTo("running");

    JsonObject chosen = say(token, "pump 2");
    assertThat(chosen.getString("intent")).isEqualTo("start_bot");
    assertThat(chosen.getJsonObject("result").getString("id")).isEqualTo("pump-2");
    awaitStatus("pump-2", "running");
    assertThat(status("pump-1")).isNotEqualTo("running");

    assertThat(say(token, "start the dishwasher").getString("text")).startsWith("I don't know a bot called 'dishwasher'");
  }

  @Test
  void aViewerHearsWhichPermissionItLacksAndTheRefusalIsAudited() {
    String viewer = gateway.tokenFor("vera", "viewer");

    JsonObject refused = say(viewer, "start analytics v one");

    assertThat(refused.getString("text")).contains("may not start bots").contains("viewer").contains("bots_control");
    assertThat(status("analytics-v1")).isNotEqualTo("running");
    JsonObject record = gateway.get("/api/v1/audit?actor=vera&action=startBot", admin).json().getJsonArray("items").getJsonObject(0);
    assertThat(record.getString("result")).isEqualTo("denied:forbidden");
    assertThat(record.getString("channel")).isEqualTo("chat");
    assertThat(say(viewer, "list bots").getJsonObject("result").getJsonArray("bots")).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void gpioIsDrivenByNameAndAPinMarkedConfirmAsksFirstOnTheMock() {
    String token = operator();

    JsonObject on = say(token, "turn on the garden light");
    assertThat(on.getString("intent")).isEqualTo("gpio_write");
    assertThat(on.getJsonObject("result").getString("value")).isEqualTo("high");
    assertThat(gateway.get("/api/v1/nodes/local/gpio/relay", admin).json().getString("value")).isEqualTo("high");
    assertThat(say(token, "toggle the relay").getJsonObject("result").getString("value")).isEqualTo("low");

    JsonObject question = say(token, "switch valve on");
    assertThat(question.getString("awaiting")).isEqualTo("confirmation");
    assertThat(gateway.get("/api/v1/nodes/local/gpio/valve", admin).json().getString("value")).isEqualTo("low");
    say(token, "yes");
    assertThat(gateway.get("/api/v1/nodes/local/gpio/valve", admin).json().getString("value")).isEqualTo("high");

    JsonObject record = gateway.get("/api/v1/audit?action=setNodeGpio&limit=1", admin).json().getJsonArray("items").getJsonObject(0);
    assertThat(record.getString("details")).isEqualTo("node=local pin=valve old=low new=high");
    assertThat(record.getString("channel")).isEqualTo("chat");

    assertThat(say(token, "turn on the button").getString("text")).startsWith("Could not");
  }

  @Test
  void aDeviceCommandIsQueuedNodesAreDescribedWorkflowsAreNotAvailableYet() {
    String token = operator();
    Response device = gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "greenhouse-sensor")
        .put("name", "Greenhouse sensor"), admin);
    assertThat(device.status()).as(device.toString()).isEqualTo(201);

    JsonObject sent = say(token, "send reboot to the greenhouse sensor");
    assertThat(sent.getString("intent")).isEqualTo("device_command");
    assertThat(sent.getJsonObject("result").getString("name")).isEqualTo("reboot");
    assertThat(gateway.get("/api/v1/devices/greenhouse-sensor/commands", admin).json().getJsonArray("items")).hasSize(1);

    assertThat(say(token, "node status").getString("text")).contains("local (online)");
    assertThat(say(token, "run workflow morning").getString("text")).contains("not available");
    assertThat(say(token, "help").getString("text")).startsWith("You can say:");
  }

  @Test
  void gibberishGetsSuggestionsAndBadBodiesAre400() {
    String token = operator();

    JsonObject reply = say(token, "purple monkey dishwasher");
    assertThat(reply.getValue("intent")).isNull();
    assertThat(reply.getJsonArray("suggestions")).isNotEmpty();

    assertThat(gateway.send("POST", "/api/v1/chat", new JsonObject().put("text", ""), token).status()).isEqualTo(400);
    assertThat(gateway.send("POST", "/api/v1/chat", new JsonObject().put("text", "x".repeat(501)), token).status()).isEqualTo(400);
    assertThat(gateway.send("POST", "/api/v1/chat", new JsonObject(), token).status()).isEqualTo(400);
    assertThat(gateway.send("POST", "/api/v1/chat", new JsonObject().put("text", "help").put("x", 1), token).status()).isEqualTo(400);
    assertThat(gateway.send("POST", "/api/v1/chat", new JsonObject().put("text", "help"), null).status()).isEqualTo(401);
  }
}
