package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.security.JwtKeys;
import io.codex32.security.TokenService;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /ws/events} against a real gateway with the JDK's WebSocket client. */
@Timeout(120)
class EventsSocketTest {

  private static TestGateway gateway;
  private static String url;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-ws"), Map.of(
        "CODEX32_WS_MAX_CONNECTIONS_PER_USER", "2",
        "CODEX32_WS_SLOW_CONSUMER_CLOSE_MS", "2000",
        // frequent keep-alive ticks are what notice a client that stopped reading
        "CODEX32_WS_PING_INTERVAL_MS", "500",
        "CODEX32_WS_AUTH_RECHECK_MS", "300"));
    url = gateway.url(EventsEndpoint.PATH).replace("http://", "ws://");
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void upgradeWithoutValidTokenIsRefusedWith401() {
    assertThat(WsClient.refusal(url, null)).isEqualTo(401);
    assertThat(WsClient.refusal(url, "not.a.token")).isEqualTo(401);
  }

  @Test
  void tokenInSubprotocolIsAcceptedAndOnlyTheVersionProtocolIsEchoed() {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("proto-viewer", "viewer"), false)) {
      assertThat(client.subprotocol()).isEqualTo(WsTokens.PROTOCOL);
      client.subscribe("bots");
      assertThat(client.next()).isEqualTo(new JsonObject().put("type", "subscribed").put("topics", new JsonArray().add("bots")));
    }
  }

  @Test
  void tokenInQueryIsAccepted() {
    try (WsClient client = WsClient.withQuery(url, gateway.tokenFor("query-viewer", "viewer"))) {
      client.send(new JsonObject().put("op", "ping"));
      assertThat(client.next().getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void unknownTopicsAndMalformedFramesGetErrorFramesAndTheConnectionStaysOpen() {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("sloppy-viewer", "viewer"), false)) {
      client.subscribe("secrets", "bots/../x");
      assertThat(client.next().getMap()).containsEntry("type", "error").containsEntry("code", "unknown_topic")
          .containsEntry("topic", "secrets");
      assertThat(client.next().getMap()).containsEntry("code", "unknown_topic").containsEntry("topic", "bots/../x");
      client.sendRaw("{not json");
      assertThat(client.next().getMap()).containsEntry("type", "error").containsEntry("code", "invalid_json");
      client.sendRaw("{\"op\": \"dance\"}");
      assertThat(client.next().getMap()).containsEntry("code", "unknown_op");
      client.send(new JsonObject().put("op", "ping"));
      assertThat(client.next().getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void subscriptionAndGlobalConnectionLimitsAreEnforced() throws Exception {
    TestGateway small = TestGateway.start(Files.createTempDirectory("codex32-ws-small"), Map.of(
        "CODEX32_WS_MAX_SUBSCRIPTIONS", "2", "CODEX32_WS_MAX_CONNECTIONS", "1"));
    String smallUrl = small.url(EventsEndpoint.PATH).replace("http://", "ws://");
    try (small; WsClient client = WsClient.withProtocol(smallUrl, small.adminToken(), false)) {
      client.subscribe("bots/a", "bots/b", "bots/c");
      assertThat(client.next().getMap()).containsEntry("code", "too_many_subscriptions").containsEntry("topic", "bots/c");
      assertThat(client.next().getJsonArray("topics")).containsExactly("bots/a", "bots/b");
      // the process-wide limit counts every user
      assertThat(WsClient.refusal(smallUrl, small.tokenFor("second-user", "viewer"))).isEqualTo(429);
    }
  }

  @Test
  void aFrameOverTheLimitClosesWith1009() throws Exception {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("big-viewer", "viewer"), false)) {
      client.sendRaw("{\"op\":\"subscribe\",\"topics\":[\"" + "x".repeat(EventsEndpoint.MAX_FRAME_BYTES) + "\"]}");
      assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }
  }

  @Test
  void aConnectionClosesWith4401WhenItsTokenExpires() throws Exception {
    // a real token re-signed with the gateway's key to expire in 2 s (the shortest configurable TTL is 30 s)
    JsonObject claims = payload(gateway.tokenFor("expiring-viewer", "viewer"));
    long exp = System.currentTimeMillis() / 1000 + 2;
    String token = sign(claims.put("exp", exp));
    try (WsClient client = WsClient.withProtocol(url, token, false)) {
      client.subscribe("bots");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo((int) CloseCodes.TOKEN_INVALID);
      // before the verifier's 5 s leeway ends: it was the exp timer, not the periodic re-check
      assertThat(System.currentTimeMillis()).isLessThan((exp + TokenService.LEEWAY_SECONDS) * 1000);
    }
  }

  private static JsonObject payload(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String sign(JsonObject claims) throws Exception {
    String pem = Files.readString(gateway.dataDir().resolve("keys").resolve(JwtKeys.PRIVATE_KEY_FILE));
    JWTAuth signer = JWTAuth.create(gateway.vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(TokenService.ALGORITHM).setBuffer(pem)));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(TokenService.ALGORITHM).setNoTimestamp(true));
  }

  @Test
  void aConnectionClosesWith4401WhenItsUserIsDisabled() throws Exception {
    String token = gateway.tokenFor("disabled-later", "viewer");
    try (WsClient client = WsClient.withProtocol(url, token, false)) {
      client.subscribe("bots");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      assertThat(gateway.send("PATCH", "/api/v1/users/disabled-later", new JsonObject().put("disabled", true), gateway.adminToken())
          .status()).isEqualTo(200);
      assertThat(client.closed().get(5, TimeUnit.SECONDS)).isEqualTo((int) CloseCodes.TOKEN_INVALID);
    }
    assertThat(WsClient.refusal(url, token)).isEqualTo(401);
  }

  @Test
  void aBotTopicReceivesOnlyThatBotsEventsInOrderWithIncreasingSeq() {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("filter-viewer", "viewer"), false)) {
      client.subscribe("bots/a");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      for (int version = 1; version <= 3; version++) {
        publishStatus("a", version);
        publishStatus("b", version);
      }
      List<JsonObject> received = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        received.add(client.next());
      }
      assertThat(received).allSatisfy(m -> {
        assertThat(m.getMap()).containsEntry("type", "status").containsEntry("topic", "bots/a");
        assertThat(m.getString("timestamp")).isNotBlank();
        assertThat(m.getJsonObject("data").getString("bot_id")).isEqualTo("a");
      });
      assertThat(received.stream().map(m -> m.getJsonObject("data").getLong("version")).toList()).containsExactly(1L, 2L, 3L);
      assertThat(received.stream().map(m -> m.getLong("seq")).toList()).isSorted().doesNotHaveDuplicates();
      // b's events were published before the ping: had any been sent, it would come first
      client.send(new JsonObject().put("op", "ping"));
      assertThat(client.next().getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void metricsSamplesReachOnlyTheirBotsTopic() {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("metrics-viewer", "viewer"), false)) {
      client.subscribe("bots/m1", "bots");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      String time = "2026-01-01T00:00:00Z";
      JsonArray samples = new JsonArray().add(new JsonObject().put("bot_id", "m1").put("time", time).put("cpu_percent", 1.5))
          .add(new JsonObject().put("bot_id", "m2").put("time", time).put("cpu_percent", 2.5));
      gateway.vertx().eventBus().publish(Addresses.BOT_EVENTS, new JsonObject().put("type", "metrics").put("node", "local")
          .put("time", "2026-01-01T00:00:00Z").put("samples", samples));
      JsonObject metrics = client.next();
      assertThat(metrics.getMap()).containsEntry("type", "metrics").containsEntry("topic", "bots/m1");
      assertThat(metrics.getJsonObject("data").getJsonObject("sample").getDouble("cpu_percent")).isEqualTo(1.5);
      client.send(new JsonObject().put("op", "ping"));
      assertThat(client.next().getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aLogsTopicReceivesTheBotsLogLines() {
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("logs-viewer", "viewer"), false)) {
      client.subscribe("logs/weather");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      JsonObject line = new JsonObject().put("bot_id", "weather").put("seq", 7).put("time", "2026-01-01T00:00:00Z")
          .put("stream", "stdout").put("line", "21.5 C");
      gateway.vertx().eventBus().publish(Addresses.botLogs("weather"), line);
      gateway.vertx().eventBus().publish(Addresses.botLogs("other"), line.copy().put("bot_id", "other"));
      JsonObject received = client.next();
      assertThat(received.getMap()).containsEntry("type", "log").containsEntry("topic", "logs/weather");
      assertThat(received.getJsonObject("data")).isEqualTo(line);
    }
  }

  @Test
  void aSlowConsumerDoesNotDelayAFastOne() throws Exception {
    int events = 5000;
    String token = gateway.tokenFor("fanout-viewer", "viewer");
    try (WsClient fast = WsClient.withProtocol(url, token, false); WsClient slow = WsClient.withProtocol(url, token, true)) {
      fast.subscribe("bots");
      slow.subscribe("bots");
      assertThat(fast.next().getString("type")).isEqualTo("subscribed");
      assertThat(slow.next().getString("type")).isEqualTo("subscribed");
      // ~2 KB each: 10 MB in all, more than the socket buffers of a client that does not read
      String padding = "x".repeat(2048);
      long started = System.nanoTime();
      for (int i = 1; i <= events; i++) {
        gateway.vertx().eventBus().publish(Addresses.BOT_EVENTS, status("fan", i).put("padding", padding));
      }
      // the fast client gets every event, or, should it fall behind for a moment, the newest ones and
      // a count of the rest: nothing is lost without notice, nothing comes out of order
      long lastSeq = 0;
      long lastVersion = 0;
      long accounted = 0;
      while (lastVersion < events) {
        JsonObject message = fast.next(20);
        if (message.getString("type").equals("dropped")) {
          accounted += message.getLong("count");
          continue;
        }
        assertThat(message.getLong("seq")).isGreaterThan(lastSeq);
        assertThat(message.getJsonObject("data").getLong("version")).isGreaterThan(lastVersion);
        lastSeq = message.getLong("seq");
        lastVersion = message.getJsonObject("data").getLong("version");
        accounted++;
      }
      assertThat(accounted).isEqualTo(events);
      assertThat(fast.closed()).isNotDone();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);

      // the slow one, reading again, learns what it missed, or was closed if it stayed stalled too long
      slow.resume();
      long slowAccounted = 0;
      long slowVersion = 0;
      boolean sawDropped = false;
      while (slowVersion < events && !slow.closed().isDone()) {
        JsonObject message = slow.next(20);
        if (message.getString("type").equals("dropped")) {
          sawDropped = true;
          slowAccounted += message.getLong("count");
        } else {
          slowVersion = message.getJsonObject("data").getLong("version");
          slowAccounted++;
        }
      }
      if (slow.closed().isDone()) {
        assertThat(slow.closed().get()).isEqualTo((int) CloseCodes.TOO_SLOW);
      } else {
        assertThat(sawDropped).isTrue();
        assertThat(slowAccounted).isEqualTo(events);
      }
    }
  }

  @Test
  void aConsumerThatStaysStalledIsClosedAsTooSlow() throws Exception {
    String token = gateway.tokenFor("stalled-viewer", "viewer");
    try (WsClient slow = WsClient.withProtocol(url, token, true)) {
      slow.subscribe("bots/stall");
      assertThat(slow.next().getString("type")).isEqualTo("subscribed");
      String padding = "x".repeat(2048);
      for (int i = 1; i <= 5000; i++) {
        gateway.vertx().eventBus().publish(Addresses.BOT_EVENTS, status("stall", i).put("padding", padding));
      }
      // the client does not read, so the server's close shows as its connection slot coming free
      awaitSlotsFree(url, token, 2);
      slow.resume();
      assertThat(slow.closed().get(20, TimeUnit.SECONDS)).isEqualTo((int) CloseCodes.TOO_SLOW);
    }
  }

  @Test
  void keepAliveClosesAPeerThatStopsAnsweringPingsAndKeepsOneThatAnswers() throws Exception {
    TestGateway quick = TestGateway.start(Files.createTempDirectory("codex32-ws-ping"), Map.of(
        "CODEX32_WS_PING_INTERVAL_MS", "200", "CODEX32_WS_PONG_TIMEOUT_MS", "1000", "CODEX32_WS_MAX_CONNECTIONS_PER_USER", "1"));
    String quickUrl = quick.url(EventsEndpoint.PATH).replace("http://", "ws://");
    String silentToken = quick.tokenFor("silent-viewer", "viewer");
    try (quick; WsClient alive = WsClient.withProtocol(quickUrl, quick.tokenFor("alive-viewer", "viewer"), false);
        WsClient silent = WsClient.withProtocol(quickUrl, silentToken, true)) {
      awaitSlotsFree(quickUrl, silentToken, 1);
      silent.resume();
      assertThat(silent.closed().get(10, TimeUnit.SECONDS)).isEqualTo((int) CloseCodes.PONG_TIMEOUT);
      // the answering client has been open longer than the pong timeout by now
      alive.send(new JsonObject().put("op", "ping"));
      assertThat(alive.next().getString("type")).isEqualTo("pong");
      assertThat(alive.closed()).isNotDone();
    }
  }

  /** Waits until {@code token}'s user can open {@code slots} connections, i.e. the server closed an earlier one. */
  private static void awaitSlotsFree(String socketUrl, String token, int slots) {
    Await.until(() -> slotsFree(socketUrl, token, slots), "the server closing the stalled connection");
  }

  /** Whether {@code slots} connections open at once; closes them again. */
  private static boolean slotsFree(String socketUrl, String token, int slots) {
    List<WsClient> opened = new ArrayList<>();
    try {
      for (int i = 0; i < slots; i++) {
        opened.add(WsClient.withProtocol(socketUrl, token, false));
      }
      return true;
    } catch (CompletionException e) {
      return false;
    } finally {
      opened.forEach(WsClient::close);
    }
  }

  @Test
  void aConnectionClosesWith4401WhenItsLoginIsRevoked() throws Exception {
    gateway.tokenFor("leaving-user", "user");
    JsonObject tokens = gateway.login("leaving-user", "leaving-user-password");
    try (WsClient client = WsClient.withProtocol(url, tokens.getString("access_token"), false)) {
      client.subscribe("bots");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");
      assertThat(gateway.send("POST", "/api/v1/auth/logout", new JsonObject().put("refresh_token", tokens.getString("refresh_token")),
          null).status()).isEqualTo(204);
      assertThat(client.closed().get(5, TimeUnit.SECONDS)).isEqualTo((int) CloseCodes.TOKEN_INVALID);
    }
  }

  @Test
  void connectionsPerUserAreLimited() throws Exception {
    String token = gateway.tokenFor("limited-viewer", "viewer");
    try (WsClient first = WsClient.withProtocol(url, token, false); WsClient second = WsClient.withProtocol(url, token, false)) {
      assertThat(WsClient.refusal(url, token)).isEqualTo(429);
      // another user is not affected
      WsClient.withProtocol(url, gateway.tokenFor("other-viewer", "viewer"), false).close();
      second.close();
      // the slot comes back once the server has seen the close
      Await.until(() -> pongs(url, token), "the slot coming back after the close");
    }
  }

  /** Whether a new connection opens and answers a ping; false while the server refuses it. */
  private static boolean pongs(String socketUrl, String token) {
    try (WsClient again = WsClient.withProtocol(socketUrl, token, false)) {
      again.send(new JsonObject().put("op", "ping"));
      assertThat(again.next().getString("type")).isEqualTo("pong");
      return true;
    } catch (CompletionException e) {
      return false;
    }
  }

  private static void publishStatus(String bot, int version) {
    gateway.vertx().eventBus().publish(Addresses.BOT_EVENTS, status(bot, version));
  }

  private static JsonObject status(String bot, long version) {
    return BotEvent.Status.decided(bot, "local", BotStatus.RUNNING, version, null, Instant.now()).toJson();
  }
}
