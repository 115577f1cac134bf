package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.GatewayPerTest;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /ws/command/{user}} with the JDK's WebSocket client against a real gateway: who may open
 * it, text in both frame forms, and every kind of bad frame answered with an error frame on a
 * socket that stays usable.
 */
@Timeout(60)
class ChatSocketTest {

  @RegisterExtension
  final GatewayPerTest fixture = GatewayPerTest.plain();

  private String url(String user) {
    return fixture.gateway().url("/ws/command/" + user).replace("http://", "ws://");
  }

  @Test
  void onlyTheUserTheTokenBelongsToMayOpenTheirSocket() {
    TestGateway gateway = fixture.gateway();
    String bob = gateway.tokenFor("bob", "user");

    assertThat(WsClient.refusal(url("admin"), null)).isEqualTo(401);
    assertThat(WsClient.refusal(url("admin"), "not-a-token")).isEqualTo(401);
    assertThat(WsClient.refusal(url("admin"), bob)).isEqualTo(403);
    try (WsClient client = WsClient.withQuery(url("bob"), bob)) {
      client.sendRaw("help");
      assertThat(client.next().getString("text")).startsWith("You can say:");
    }
  }

  @Test
  void messagesInBothFormsAreAnsweredInOrder() {
    try (WsClient client = WsClient.withProtocol(url("admin"), fixture.admin(), false)) {
      client.send(new JsonObject().put("type", "message").put("text", "list bots"));
      client.sendRaw("node status");
      client.send(new JsonObject().put("type", "ping"));

      JsonObject first = client.next();
      assertThat(first.getString("type")).isEqualTo("reply");
      assertThat(first.getString("intent")).isEqualTo("list_bots");
      assertThat(first.getString("text")).isEqualTo("There are no bots.");
      JsonObject second = client.next();
      List<String> rest = List.of(second.getString("type"), client.next().getString("type"));
      assertThat(rest).containsExactlyInAnyOrder("reply", "pong");
    }
  }

  @Test
  void badFramesGetErrorFramesAndTheSocketStaysUsable() {
    try (WsClient client = WsClient.withProtocol(url("admin"), fixture.admin(), false)) {
      client.sendRaw("{not json");
      assertThat(client.next().getString("code")).isEqualTo("invalid_json");
      client.send(new JsonObject().put("type", "shout"));
      assertThat(client.next().getString("code")).isEqualTo("unknown_type");
      client.send(new JsonObject().put("type", "message").put("text", 42));
      assertThat(client.next().getString("code")).isEqualTo("invalid_message");
      client.send(new JsonObject().put("type", "message").put("text", "x".repeat(501)));
      assertThat(client.next().getString("code")).isEqualTo("text_too_long");
      client.sendBinary(new byte[320]);
      assertThat(client.next().getString("code")).isEqualTo("no_audio_session");
      client.send(new JsonObject().put("type", "audio_end"));
      assertThat(client.next().getString("code")).isEqualTo("no_audio_session");
      client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 44_100));
      assertThat(client.next().getString("code")).isEqualTo("bad_sample_rate");

      client.sendRaw("help");
      assertThat(client.next().getString("type")).isEqualTo("reply");
    }
  }

  @Test
  void aFloodOfMessagesIsRateLimitedNotQueuedWithoutBound() {
    try (WsClient client = WsClient.withProtocol(url("admin"), fixture.admin(), false)) {
      for (int i = 0; i < 40; i++) {
        client.sendRaw("help");
      }
      List<String> codes = new ArrayList<>();
      int replies = 0;
      for (int i = 0; i < 40; i++) {
        JsonObject frame = client.next();
        if ("reply".equals(frame.getString("type"))) {
          replies++;
        } else {
          codes.add(frame.getString("code"));
        }
      }
      assertThat(codes).isNotEmpty().allMatch(code -> code.equals("rate_limited") || code.equals("busy"));
      assertThat(replies).isBetween(1, 20);
    }
  }
}
