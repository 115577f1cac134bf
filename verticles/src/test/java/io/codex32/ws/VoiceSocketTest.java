package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.GatewayPerTest;
import io.codex32.test.Speech;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Speech over {@code /ws/command}: espeak-ng says a command, the audio goes in binary frames to the
 * gateway's own node, where Debian's pocketsphinx recognises it against a grammar built from the
 * live bot names, and the bot really starts. No part is simulated.
 */
@Timeout(90)
class VoiceSocketTest {

  /** A browser's AudioWorklet sends 128-sample quanta batched; 4096 samples is a common batch. */
  private static final int FRAME_BYTES = 8192;

  @RegisterExtension
  final GatewayPerTest fixture = GatewayPerTest.withExecutor();

  @BeforeEach
  void speechIsAvailable() {
    Speech.assumeAvailable();
  }

  private WsClient connect() {
    String url = fixture.gateway().url("/ws/command/admin").replace("http://", "ws://");
    return WsClient.withProtocol(url, fixture.admin(), false);
  }

  private static void speak(WsClient client, byte[] pcm) {
    client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000));
    for (int offset = 0; offset < pcm.length; offset += FRAME_BYTES) {
      client.sendBinary(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + FRAME_BYTES)));
    }
    client.send(new JsonObject().put("type", "audio_end"));
  }

  /** The frames up to and including the reply, partials and the start acknowledgement aside. */
  private static JsonObject next(WsClient client, String type) {
    JsonObject frame = client.next(30);
    while (!type.equals(frame.getString("type"))) {
      assertThat(frame.getString("type")).as(frame.encode()).isIn("audio_started", "partial", "transcript", "reply");
      frame = client.next(30);
    }
    return frame;
  }

  @Test
  void aSpokenCommandStartsABotCreatedJustBefore() throws Exception {
    TestGateway gateway = fixture.gateway();
    Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "weather-station").put("name", "Weather Station")
        .put("command", List.of("sh", TestGateway.botScript("silent.sh"))), fixture.admin());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);

    try (WsClient client = connect()) {
      speak(client, Speech.pcm("start the weather station"));

      assertThat(next(client, "transcript").getString("text")).isEqualTo("start the weather station");
      JsonObject reply = next(client, "reply");
      assertThat(reply.getString("intent")).isEqualTo("start_bot");
      assertThat(reply.getJsonObject("result").getString("id")).isEqualTo("weather-station");
    }
    gateway.awaitBot("weather-station", fixture.admin(), bot -> "running".equals(bot.getString("status")), "running");
    JsonObject record = gateway.get("/api/v1/audit?action=startBot", fixture.admin()).json().getJsonArray("items").getJsonObject(0);
    assertThat(record.getString("channel")).isEqualTo("voice");
  }

  @Test
  void audioWithoutAStartOrForAnUnknownNodeIsRefusedAndTooLongAnUtteranceIsDropped() throws Exception {
    try (WsClient client = connect()) {
      client.sendBinary(new byte[FRAME_BYTES]);
      assertThat(client.next().getString("code")).isEqualTo("no_audio_session");

      client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000).put("node", "pi-nowhere"));
      JsonObject unknown = client.next(30);
      assertThat(unknown.getString("type")).isEqualTo("error");
      assertThat(unknown.getString("code")).isEqualTo("not_found");
      assertThat(unknown.getString("message")).isEqualTo("no node 'pi-nowhere' has reported");
      client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000).put("node", "../" + "x".repeat(500)));
      assertThat(client.next().getString("code")).isEqualTo("invalid_message");
      client.sendBinary(new byte[FRAME_BYTES]);
      assertThat(client.next().getString("code")).as("neither started an utterance").isEqualTo("no_audio_session");

      client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000));
      JsonObject started = client.next(30);
      assertThat(started.getString("type")).isEqualTo("audio_started");
      assertThat(started.getString("node")).as("no node named: the gateway's own").isEqualTo("local");
      client.sendBinary(new byte[3]);
      assertThat(client.next().getString("code")).isEqualTo("bad_audio");

      client.send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000));
      assertThat(client.next(30).getString("type")).isEqualTo("audio_started");
      byte[] second = new byte[32_000];
      for (int i = 0; i <= 15; i++) {
        client.sendBinary(second);
      }
      JsonObject refused = client.next(30);
      assertThat(refused.getString("code")).as("16 s of audio, over voice.max_seconds (15)").isEqualTo("audio_too_long");

      client.sendRaw("help");
      assertThat(next(client, "reply").getString("text")).startsWith("You can say:");
    }
  }

  @Test
  void silenceIsHeardAsNothingAndAsksAgain() throws Exception {
    try (WsClient client = connect()) {
      speak(client, new byte[32_000]);

      assertThat(next(client, "transcript").getString("text")).isEmpty();
      assertThat(next(client, "reply").getString("text")).contains("did not catch");
    }
  }
}
