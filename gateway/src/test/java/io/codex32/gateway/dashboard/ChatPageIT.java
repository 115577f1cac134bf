package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.ApiClient;
import io.codex32.gateway.GatewayProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The chat page as a new user meets it: typing "start the weather station" starts the bot, "stop it"
 * asks first and the Confirm button stops it, saying "start the weather station" into the push-to-talk
 * button starts it again, and a viewer reads the gateway's refusal. The voice is espeak-ng's, played
 * by Chromium's fake microphone from a WAV file and recognised by the gateway's PocketSphinx; nothing
 * is simulated in between. One gateway and one browser; the tests run in order.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatPageIT {

  private static final String BOT = "weather-station";
  /** Lead and trailing silence around the speech: the fake microphone plays the file from its start, then loops it. */
  private static final double LEAD_S = 0.4;
  private static final double TRAIL_S = 1.2;

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.checkingConsole();
  private static GatewayProcess gateway;
  private static ApiClient admin;
  private static Browser browser;
  private static Duration speech;

  @BeforeAll
  static void start() throws Exception {
    Path script = Files.writeString(dashboard.dir().resolve("station.sh"), "while :; do echo reading; sleep 1; done\n");
    Path wav = dashboard.dir().resolve("start-the-weather-station.wav");
    speech = say("start the weather station", wav);
    Path dataDir = dashboard.dir().resolve("data");
    Map<String, String> env = GatewayProcess.env(dataDir);
    env.put("CODEX32_EXECUTOR_ALLOWED_COMMANDS", "sh");
    gateway = dashboard.start("chat-page", dataDir, env);
    admin = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    JsonObject spec = new JsonObject().put("id", BOT).put("name", "Weather Station")
        .put("command", new JsonArray().add("sh").add(script.toAbsolutePath().toString()));
    assertThat(admin.post("/api/v1/bots", spec).status()).isEqualTo(201);
    browser = dashboard.openSignedIn(List.of("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        "--use-file-for-fake-audio-capture=" + wav.toAbsolutePath()));
  }

  /** Bots outlive a killed gateway (they lead their own sessions): stop them before the fixture closes it. */
  @AfterAll
  static void stopBots() {
    if (admin != null) {
      admin.post("/api/v1/bots/" + BOT + "/stop", null);
    }
  }

  @Test
  @Order(1)
  void typingStartTheWeatherStationStartsIt() {
    openChat();
    browser.type("#chat-input", "start the weather station", Keys.ENTER);
    browser.showing("#chat-log .chat-me", "start the weather station");
    WebElement reply = browser.showing("#chat-log .chat-reply", "Starting weather-station");
    assertThat(reply.getText()).contains("Codex-32");
    awaitBot("running");
    browser.screenshot("30-chat-typed");
  }

  @Test
  @Order(2)
  void stopItAsksFirstAndConfirmStopsIt() {
    openChat();
    browser.type("#chat-input", "stop it", Keys.ENTER);
    browser.showing("#chat-log .chat-reply", "Stop weather-station");
    browser.showing("#chat-log .chat-reply", "Say yes to confirm or no to cancel.");
    browser.visible("#chat-cancel");
    browser.screenshot("31-chat-confirm");
    assertThat(status()).as("nothing is stopped before the answer").isEqualTo("running");
    browser.click("#chat-confirm");
    browser.showing("#chat-log .chat-me", "yes");
    browser.showing("#chat-log .chat-reply", "Stopping weather-station");
    assertThat(browser.present("#chat-confirm")).as("the question is answered").isFalse();
    awaitBot("stopped");
  }

  @Test
  @Order(3)
  void sayingStartTheWeatherStationWhileHoldingTheButtonStartsIt() {
    openChat();
    // Held for as long as the recording lasts: the fake microphone starts the file when it opens and
    // loops it, so releasing before the loop comes round gives exactly one utterance.
    new Actions(browser.driver()).clickAndHold(browser.visible("#chat-talk[data-state=idle]"))
        .pause(speech.plusMillis(Math.round((LEAD_S + TRAIL_S) * 1000) - 200)).release().perform();
    browser.showing("#chat-log .chat-me", "You said");
    WebElement said = browser.until("the transcript", d -> browser.findAll("#chat-log .chat-me").stream()
        .filter(e -> e.getText().startsWith("You said")).reduce((a, b) -> b).orElse(null));
    assertThat(said.getText()).endsWith("start the weather station");
    browser.until("the reply to the spoken command", d -> browser.findAll("#chat-log .chat-reply").stream()
        .reduce((a, b) -> b).filter(e -> e.getText().contains("Starting weather-station")).isPresent());
    awaitBot("running");
    assertThat(browser.find("#chat-talk").getAttribute("aria-pressed")).isEqualTo("false");
    browser.screenshot("32-chat-spoken");
  }

  @Test
  @Order(4)
  void aViewerReadsTheRefusal() {
    assertThat(admin.post("/api/v1/users", new JsonObject().put("username", "vera").put("password", "viewer-pass-1")
        .put("role", "viewer")).status()).isEqualTo(201);
    browser.signOut();
    browser.signIn("vera", "viewer-pass-1");
    openChat();
    assertThat(browser.findAll("#chat-log .chat-me")).as("the admin's conversation is gone").isEmpty();
    String before = status();
    browser.type("#chat-input", "stop the weather station", Keys.ENTER);
    browser.showing("#chat-log .chat-reply", "Sorry, you may not stop bots");
    assertThat(browser.find("#chat-log").getText()).contains("your role 'viewer' does not have the bots_control permission");
    assertThat(browser.present("#chat-confirm")).as("nothing to confirm").isFalse();
    assertThat(status()).isEqualTo(before);
    browser.screenshot("33-chat-viewer");
  }

  private static void openChat() {
    browser.click("#nav a[data-nav=chat]");
    browser.visible("#chat-state[data-state=live]");
  }

  private static String status() {
    return admin.get("/api/v1/bots/" + BOT).json().getString("status");
  }

  private static void awaitBot(String status) {
    browser.until("bot " + BOT + " " + status, d -> status.equals(status()));
  }

  /** espeak-ng (en-us) says {@code text} into a 48 kHz mono 16-bit WAV with silence around it; returns how long the speech is. */
  private static Duration say(String text, Path wav) throws IOException, InterruptedException {
    Path raw = wav.resolveSibling("espeak.wav");
    run("espeak-ng", "-v", "en-us", "-w", raw.toString(), text);
    run("sox", raw.toString(), "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", wav.toString(),
        "pad", String.valueOf(LEAD_S), String.valueOf(TRAIL_S));
    Process soxi = new ProcessBuilder("soxi", "-D", raw.toString()).start();
    String seconds = new String(soxi.getInputStream().readAllBytes()).trim();
    assertThat(soxi.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
  }
}
