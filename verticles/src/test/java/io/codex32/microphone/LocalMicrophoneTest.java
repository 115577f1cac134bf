package io.codex32.microphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.MicrophoneReply;
import io.codex32.bus.MicrophoneRequest;
import io.codex32.bus.PinMode;
import io.codex32.error.Codex32Exception;
import io.codex32.gpio.GpioConfig;
import io.codex32.gpio.GpioProvider;
import io.codex32.gpio.GpioVerticle;
import io.codex32.gpio.Pi4jBoard;
import io.codex32.gpio.PinSpec;
import io.codex32.gpio.Pull;
import io.codex32.test.Await;
import io.codex32.test.LogRecorder;
import io.codex32.test.Speech;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.voice.VoiceConfig;
import io.codex32.voice.VoiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's microphone, end to end with real parts: arecord captures from a real ALSA device that an
 * ALSA configuration file (given as {@code voice.microphone.alsa_config}, as an operator would)
 * defines on a named pipe this test writes espeak-ng's speech into, PocketSphinx recognises it on the
 * node, and the gateway's chat acts on it as the configured user. The gateway's own node has its
 * microphone from configuration (REST toggle); node {@code pi-mic} runs beside it on the same bus
 * with a Pi4J mock button this test presses, as an edge node would.
 */
@Timeout(180)
class LocalMicrophoneTest {

  private static final String DEVICE = "codex32test";
  private static final String USER = "pi-voice";
  private static final PinSpec PTT = new PinSpec("ptt", 27, PinMode.INPUT, Pull.DOWN, false, 5, null, null, 0, null);
  private static final VoiceConfig VOICE = new VoiceConfig(VoiceConfig.Engine.POCKETSPHINX, null, 15, "pocketsphinx_continuous");

  private static Path dir;
  private static Path alsaConfig;
  private static RandomAccessFile mic;
  private static byte[] speech;
  private static TestGateway gateway;
  private static String admin;
  private static Context pi4j;

  @BeforeAll
  static void start() throws Exception {
    Speech.assumeAvailable();
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/arecord")),
        "arecord is needed (alsa-utils; build-tools/provision-test-deps.sh installs it)");
    dir = Files.createTempDirectory("codex32-mic");
    Path fifo = dir.resolve("mic.pcm");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
    // Opened for reading and writing, the pipe never blocks its opener and never ends: arecord waits
    // for what is "said" into it, as on a quiet microphone.
    mic = new RandomAccessFile(fifo.toFile(), "rw");
    alsaConfig = dir.resolve("asound.conf");
    Files.writeString(alsaConfig, "pcm." + DEVICE + " {\n  type file\n  slave.pcm null\n  file \"/dev/null\"\n  infile \"" + fifo
        + "\"\n  format \"raw\"\n}\n");
    byte[] words = Speech.pcm("start the weather station");
    speech = new byte[words.length + 16_000];
    System.arraycopy(words, 0, speech, 0, words.length);

    gateway = TestGateway.withExecutor(dir.resolve("data"), Map.ofEntries(
        Map.entry("CODEX32_GPIO_ENABLED", "true"),
        Map.entry("CODEX32_GPIO_PROVIDER", "mock"),
        Map.entry("CODEX32_GPIO_PINS",
            new JsonArray().add(new JsonObject().put("name", "ptt").put("bcm", 27).put("mode", "input")).encode()),
        Map.entry("CODEX32_VOICE_ENGINE", "pocketsphinx"),
        Map.entry("CODEX32_VOICE_MICROPHONE_ENABLED", "true"),
        Map.entry("CODEX32_VOICE_MICROPHONE_DEVICE", DEVICE),
        Map.entry("CODEX32_VOICE_MICROPHONE_ALSA_CONFIG", alsaConfig.toString()),
        Map.entry("CODEX32_VOICE_MICROPHONE_PUSH_TO_TALK_PIN", "ptt"),
        Map.entry("CODEX32_VOICE_MICROPHONE_USER", USER),
        Map.entry("CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200")));
    admin = gateway.adminToken();
    gateway.tokenFor(USER, "operator");
    Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "weather-station").put("name", "Weather Station")
        .put("command", List.of("sh", TestGateway.botScript("silent.sh"))), admin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Await.until(() -> gateway.get("/api/v1/nodes/local/microphone", admin).status() == 200, "the local node's microphone");

    pi4j = Pi4jBoard.context(GpioProvider.MOCK);
    Await.result(GpioVerticle.deploy(gateway.vertx(), new GpioVerticle("pi-mic", List.of(PTT), new Pi4jBoard(pi4j, List.of(PTT), true),
        Clock.systemUTC())));
    deployNode("pi-mic", config("pi-mic", DEVICE, "arecord", "ptt", USER));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.closeWithBots();
    }
    if (pi4j != null && !pi4j.isShutdown()) {
      pi4j.shutdown();
    }
    if (mic != null) {
      mic.close();
    }
  }

  @BeforeEach
  void weatherStationStopped() {
    gateway.send("POST", "/api/v1/bots/weather-station/stop", (String) null, Map.of("Authorization", "Bearer " + admin));
    Await.until(() -> status("weather-station"), s -> s.equals("stopped") || s.equals("registered"), "weather-station not running");
  }

  @Test
  void pressingTheButtonSayingStartTheWeatherStationAndReleasingStartsIt() throws Exception {
    pi4j.registry().get(Pi4jBoard.ioId(PTT), MockDigitalInput.class).mockState(DigitalState.HIGH);
    Await.until(() -> ask("pi-mic", new MicrophoneRequest.Status()).state(), "listening"::equals, "pi-mic listening after the press");

    say("pi-mic");
    pi4j.registry().get(Pi4jBoard.ioId(PTT), MockDigitalInput.class).mockState(DigitalState.LOW);

    MicrophoneReply done = Await.until(() -> ask("pi-mic", new MicrophoneRequest.Status()), s -> s.reply() != null,
        "the reply to what pi-mic heard", Duration.ofSeconds(40));
    assertThat(done.heard()).isEqualTo("start the weather station");
    assertThat(done.reply()).contains("weather-station");
    assertThat(done.state()).isEqualTo("idle");
    Await.until(() -> status("weather-station"), "running"::equals, "weather-station running", Duration.ofSeconds(20));
    JsonObject record = gateway.get("/api/v1/audit?action=startBot&target=weather-station", admin).json().getJsonArray("items")
        .getJsonObject(0);
    assertThat(record.getString("channel")).isEqualTo("voice");
    assertThat(record.getString("actor")).isEqualTo(USER);
    assertThat(record.getString("result")).isEqualTo("success");
  }

  @Test
  void theRestToggleStartsAndStopsTheConfiguredMicrophoneOfTheGatewaysNode() throws Exception {
    Response started = gateway.send("POST", "/api/v1/nodes/local/microphone", new JsonObject().put("action", "start"), admin);
    assertThat(started.status()).as(started.toString()).isEqualTo(200);
    assertThat(started.json().getString("state")).isEqualTo("listening");
    assertThat(started.json().getString("push_to_talk_pin")).isEqualTo("ptt");
    Response again = gateway.send("POST", "/api/v1/nodes/local/microphone", new JsonObject().put("action", "start"), admin);
    assertThat(again.status()).as("a second start while listening").isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("busy");

    say("local");
    Response stopped = gateway.send("POST", "/api/v1/nodes/local/microphone", new JsonObject().put("action", "stop"), admin);
    assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);

    JsonObject done = Await.until(() -> gateway.get("/api/v1/nodes/local/microphone", admin).json(), s -> s.getString("reply") != null,
        "the reply to what local heard", Duration.ofSeconds(40));
    assertThat(done.getString("heard")).isEqualTo("start the weather station");
    assertThat(done.getString("state")).isEqualTo("idle");
    assertThat(done.getString("user")).isEqualTo(USER);
    Await.until(() -> status("weather-station"), "running"::equals, "weather-station running", Duration.ofSeconds(20));
    assertThat(gateway.send("POST", "/api/v1/nodes/local/microphone", new JsonObject().put("action", "stop"), admin).status())
        .as("stop while idle changes nothing").isEqualTo(200);
    assertThat(gateway.send("POST", "/api/v1/nodes/local/microphone", new JsonObject().put("action", "listen"), admin).status())
        .isEqualTo(400);
    assertThat(gateway.get("/api/v1/nodes/pi-nowhere/microphone", admin).status()).isEqualTo(404);
  }

  @Test
  void aMissingCommandOrABadDeviceIsAClearStatusAndTheMicrophoneStaysUsable() {
    deployNode("pi-nocmd", config("pi-nocmd", DEVICE, "/nonexistent/arecord", null, USER));
    Codex32Exception refused = Await.failure(send("pi-nocmd", new MicrophoneRequest.Start()));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.code()).isEqualTo("microphone_unavailable");
    assertThat(refused.getMessage()).contains("/nonexistent/arecord");
    MicrophoneReply idle = ask("pi-nocmd", new MicrophoneRequest.Status());
    assertThat(idle.state()).isEqualTo("idle");
    assertThat(idle.error()).contains("cannot run '/nonexistent/arecord'");

    deployNode("pi-baddev", config("pi-baddev", "nosuchdevice", "arecord", null, USER));
    ask("pi-baddev", new MicrophoneRequest.Start());
    MicrophoneReply failed = Await.until(() -> ask("pi-baddev", new MicrophoneRequest.Status()), s -> s.error() != null,
        "pi-baddev's capture failed");
    assertThat(failed.state()).isEqualTo("idle");
    assertThat(failed.error()).contains("arecord -D nosuchdevice", "exited with", "audio open error");
    assertThat(ask("pi-baddev", new MicrophoneRequest.Start()).state()).as("it can be tried again").isIn("listening", "idle");
  }

  @Test
  void anUnknownConfiguredUserIsLoggedAndTheReplySaysSo() throws Exception {
    deployNode("pi-nouser", config("pi-nouser", DEVICE, "arecord", null, "nobody-here"));
    try (LogRecorder log = LogRecorder.attach("io.codex32.chat.ChatBusListener")) {
      assertThat(ask("pi-nouser", new MicrophoneRequest.Start()).state()).isEqualTo("listening");
      say("pi-nouser");
      ask("pi-nouser", new MicrophoneRequest.Stop());

      MicrophoneReply done = Await.until(() -> ask("pi-nouser", new MicrophoneRequest.Status()), s -> s.reply() != null,
          "the reply to what pi-nouser heard", Duration.ofSeconds(40));
      assertThat(done.reply()).isEqualTo("I cannot act on that: the microphone's user 'nobody-here' does not exist.");
      assertThat(log.logged("ERROR", "pi-nouser", "nobody-here", "voice.microphone.user")).as(log.entries().toString()).isTrue();
    }
    assertThat(status("weather-station")).isNotEqualTo("running");
  }

  /** Speaks into the pipe once {@code node} listens, and waits until its microphone has taken nearly all of it. */
  private static void say(String node) throws Exception {
    mic.write(speech);
    long expectedMs = (speech.length - Capture.CHUNK_BYTES) / 32;
    Await.until(() -> ask(node, new MicrophoneRequest.Status()).audioMs(), ms -> ms >= expectedMs, node + " captured the speech",
        Duration.ofSeconds(20));
  }

  private static MicrophoneConfig config(String node, String device, String command, String pin, String user) {
    return MicrophoneConfig.of(true, device, command, pin, user, alsaConfig.toString(), false,
        new GpioConfig(pin != null, GpioProvider.MOCK, pin == null ? List.of() : List.of(PTT)));
  }

  private static void deployNode(String node, MicrophoneConfig config) {
    Await.result(VoiceVerticle.deploy(gateway.vertx(), node, VOICE));
    Await.result(LocalMicrophone.deploy(gateway.vertx(), node, config, VOICE));
  }

  private static Future<MicrophoneReply> send(String node, MicrophoneRequest request) {
    return gateway.vertx().eventBus().request(Addresses.microphone(node), request.toJson())
        .map(reply -> MicrophoneReply.fromJson(reply.body()))
        .recover(failure -> Future.failedFuture(failure instanceof ReplyException e ? BusFailures.fromRecipient(e, "refused") : failure));
  }

  private static MicrophoneReply ask(String node, MicrophoneRequest request) {
    return Await.result(send(node, request));
  }

  private static String status(String bot) {
    return gateway.get("/api/v1/bots/" + bot, admin).json().getString("status");
  }
}
