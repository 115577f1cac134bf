package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A gateway without speech: audio is refused with the reason, text chat keeps working, health says why. */
@Timeout(60)
class VoiceOffSocketTest {

  @Test
  void audioGetsVoiceUnavailableWithTheReasonAndTextStillWorks() throws Exception {
    Path dir = Files.createTempDirectory("codex32-voice-off");
    try (TestGateway gateway = TestGateway.start(dir, Map.of("CODEX32_VOICE_ENGINE", "off"))) {
      String admin = gateway.adminToken();
      String url = gateway.url("/ws/command/admin").replace("http://", "ws://");
      try (WsClient client = WsClient.withProtocol(url, admin, false)) {
        client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000));
        JsonObject refused = client.next(20);
        assertThat(refused.getString("code")).isEqualTo("voice_unavailable");
        assertThat(refused.getString("message")).contains("voice.engine");

        client.sendRaw("list bots");
        assertThat(client.next().getString("text")).isEqualTo("There are no bots.");
      }
      JsonObject voice = new JsonObject(gateway.send("GET", "/health/detailed", (String) null, Map.of()).body())
          .getJsonObject("components").getJsonObject("voice");
      assertThat(voice.getBoolean("available")).as(voice.encode()).isFalse();
    }
  }
}
