package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.codex32.test.Await;
import io.codex32.test.GatewayPerTest;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bots that know themselves: GET /api/v1/self, heartbeats over REST and MQTT, and the executor's heartbeat watchdog. */
@Timeout(120)
class BotSelfApiTest {

  @RegisterExtension
  final GatewayPerTest fixture = GatewayPerTest.withExecutor();

  @Test
  void aBotReadsItselfAndItsRestHeartbeatsKeepItRunning() {
    create(new JsonObject().put("id", "beater").put("command", List.of("python3", TestGateway.botScript("heartbeat_bot.py")))
        .put("heartbeat_timeout_s", 1).put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 1)));
    fixture.gateway().post("/api/v1/bots/beater/start", fixture.admin());

    // the bot says "starting" in its first heartbeat, then "beat N" with a metrics object
    JsonObject first = fixture.gateway().awaitBot("beater", fixture.admin(),
        b -> String.valueOf(b.getString("heartbeat_status")).startsWith("beat "), "heartbeating");
    assertThat(first.getString("last_heartbeat")).isNotNull();
    assertThat(first.getJsonObject("heartbeat_metrics").getInteger("beats")).isPositive();
    String log = awaitLog("beater", l -> l.contains("mqtt "));
    assertThat(log).contains("heartbeat 202").contains("self 200").contains("\"id\": \"beater\"").contains("heartbeat_bot.py")
        .contains("\"heartbeat_timeout_s\": 1").contains("\"has_history\": true")
        .contains("mqtt mqtt://127.0.0.1:" + fixture.gateway().mqttPort());

    // well past the 1 s timeout, or until the watchdog has restarted it
    JsonObject later = fixture.gateway().awaitBot("beater", fixture.admin(),
        b -> b.getLong("uptime_seconds", 0L) >= 3 || b.getInteger("restarts", 0) > 0 || !first.getLong("pid").equals(b.getLong("pid")),
        "running 3 s, heartbeats keeping it alive");
    assertThat(Instant.parse(later.getString("last_heartbeat"))).isAfter(Instant.parse(first.getString("last_heartbeat")));
    assertThat(later.getString("status")).isEqualTo("running");
    assertThat(later.getInteger("restarts")).isZero();
    assertThat(later.getLong("pid")).isEqualTo(first.getLong("pid"));
  }

  @Test
  void aBotThatNeverHeartbeatsIsRestartedOnceThenFailed() {
    create(new JsonObject().put("id", "mute").put("command", List.of("sh", TestGateway.botScript("silent.sh")))
        .put("heartbeat_timeout_s", 1)
        .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 1).put("backoff_initial_ms", 50)));
    fixture.gateway().post("/api/v1/bots/mute/start", fixture.admin());
    JsonObject failed = fixture.gateway().awaitBot("mute", fixture.admin(), b -> "failed".equals(b.getString("status")), "failed");
    assertThat(failed.getString("reason")).startsWith("heartbeat_timeout");
    assertThat(failed.getInteger("restarts")).isEqualTo(1);
    assertThat(failed.getString("last_heartbeat")).isNull();
  }

  @Test
  void botTokensOnlyOpenTheSelfEndpointsAndUserCredentialsNeverDo() {
    create(new JsonObject().put("id", "reader").put("command", List.of("sh", TestGateway.botScript("silent.sh")))
        .put("placement", new JsonObject().put("node", "elsewhere")));
    String token = fixture.gateway().botToken("reader");
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);

    Response self = fixture.gateway().send("GET", "/api/v1/self", (String) null, bearer);
    assertThat(self.status()).as(self.toString()).isEqualTo(200);
    assertThat(self.json().getJsonObject("bot").getString("id")).isEqualTo("reader");
    assertThat(self.json().getJsonArray("metrics_history")).isEqualTo(new JsonArray());
    Response beat = fixture.gateway().send("POST", "/api/v1/self/heartbeat", new JsonObject().put("status", "ok"), token);
    assertThat(beat.status()).as(beat.toString()).isEqualTo(202);
    Response tooMuch = fixture.gateway().send("POST", "/api/v1/self/heartbeat", new JsonObject().put("metrics",
        new JsonObject().put("nested", new JsonObject())), token);
    assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(400);

    assertThat(fixture.gateway().get("/api/v1/bots", token).status()).isIn(401, 403);
    assertThat(fixture.gateway().get("/api/v1/bots/reader", token).status()).isIn(401, 403);
    assertThat(fixture.gateway().get("/api/v1/auth/me", token).status()).isIn(401, 403);
    assertThat(fixture.gateway().get("/api/v1/self", fixture.admin()).status()).isEqualTo(403);
    assertThat(fixture.gateway().send("POST", "/api/v1/self/heartbeat", new JsonObject(), fixture.admin()).status()).isEqualTo(403);
    Response key = fixture.gateway().send("POST", "/api/v1/api-keys", new JsonObject().put("name", "k").put("role", "operator"),
        fixture.admin());
    assertThat(fixture.gateway().send("GET", "/api/v1/self", (String) null, Map.of("X-API-Key", key.json().getString("key"))).status())
        .isEqualTo(403);
    assertThat(fixture.gateway().get("/api/v1/self", null).status()).isEqualTo(401);

    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("reader", "readex")
            .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(fixture.gateway().get("/api/v1/self", forged).status()).isEqualTo(401);
    String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    assertThat(fixture.gateway().get("/api/v1/self", badSignature).status()).isEqualTo(401);

    assertThat(fixture.gateway().delete("/api/v1/bots/reader", fixture.admin()).status()).isEqualTo(204);
    Response gone = fixture.gateway().get("/api/v1/self", token);
    assertThat(gone.status()).isEqualTo(401);
    assertThat(gone.errorCode()).isEqualTo("token_revoked");
  }

  @Test
  void mqttHeartbeatsWithTheBotTokenKeepABotAliveAndOtherBotsTopicsAreRefused() {
    create(new JsonObject().put("id", "wire").put("command", List.of("sh", TestGateway.botScript("silent.sh")))
        .put("heartbeat_timeout_s", 1)
        .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 1)));
    create(new JsonObject().put("id", "other").put("command", List.of("sh", TestGateway.botScript("silent.sh"))));
    String token = fixture.gateway().botToken("wire");

    Mqtt5BlockingClient wrongName = client("other");
    assertThatThrownBy(() -> wrongName.connectWith().simpleAuth().username("other").password(token.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send()).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
            e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));

    Mqtt5BlockingClient client = client("wire");
    client.connectWith().simpleAuth().username("wire").password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    try {
      // connected before the bot starts, so the first heartbeat is well inside the 1 s grace period
      fixture.gateway().post("/api/v1/bots/wire/start", fixture.admin());
      Instant until = Instant.now().plusMillis(3500);
      int n = 0;
      while (Instant.now().isBefore(until)) {
        String topic = n % 2 == 0 ? "bots/wire/heartbeat" : "bots/wire/metrics";
        String payload = n % 2 == 0 ? new JsonObject().put("status", "mqtt " + n).encode() : new JsonObject().put("n", n).encode();
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        n++;
        sleep(200); // the heartbeat period, not a wait for a condition
      }
      JsonObject alive = fixture.gateway().awaitBot("wire", fixture.admin(), b -> b.getString("last_heartbeat") != null, "heartbeating");
      assertThat(alive.getString("status")).isEqualTo("running");
      assertThat(alive.getInteger("restarts")).isZero();
      assertThat(alive.getString("heartbeat_status")).startsWith("mqtt ");

      assertThatThrownBy(() -> client.publishWith().topic("bots/other/heartbeat").qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {1}).send())
          .isInstanceOfSatisfying(Mqtt5PubAckException.class,
              e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      assertThatThrownBy(() -> client.subscribeWith().topicFilter("bots/#").qos(MqttQos.AT_LEAST_ONCE).send())
          .isInstanceOf(Mqtt5SubAckException.class);
    } finally {
      client.disconnect();
    }
    // silent again: the watchdog takes over
    JsonObject restarted = fixture.gateway().awaitBot("wire", fixture.admin(), b -> b.getInteger("restarts", 0) >= 1,
        "restarted by the watchdog");
    assertThat(restarted.getString("reason")).contains("heartbeat_timeout");
  }

  // ---- helpers ---------------------------------------------------------------------------------


  private Mqtt5BlockingClient client(String clientId) {
    return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(fixture.gateway().mqttPort())
        .buildBlocking();
  }

  private void create(JsonObject spec) {
    Response created = fixture.gateway().send("POST", "/api/v1/bots", spec, fixture.admin());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  private String awaitLog(String id, Predicate<String> condition) {
    return Await.until(() -> logText(id), condition, "the expected log of " + id);
  }

  private String logText(String id) {
    StringBuilder all = new StringBuilder();
    fixture.gateway().get("/api/v1/bots/" + id + "/logs?tail=50", fixture.admin()).json().getJsonArray("items")
        .forEach(line -> all.append(((JsonObject) line).getString("line")).append('\n'));
    return all.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
