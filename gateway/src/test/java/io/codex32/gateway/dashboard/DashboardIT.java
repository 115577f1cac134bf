package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.ApiClient;
import io.codex32.gateway.GatewayProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard end to end, in Chromium against the gateway jar whose executor may run python3:
 * what a new user does first (sign in, create a bot, start it, watch it, stop it), what a viewer
 * sees, devices with telemetry from mosquitto_pub and a command delivered to mosquitto_sub, and the
 * admin page. One gateway and one browser for the class; the tests run in order, as a person would.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

  private static final String BOT_SCRIPT = """
      import time
      n = 0
      while True:
          print(f"tick {n}", flush=True)
          n += 1
          time.sleep(1)
      """;

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.checkingConsole();
  private static GatewayProcess gateway;
  private static Browser browser;
  private static Path script;

  @BeforeAll
  static void start() throws IOException {
    script = Files.writeString(dashboard.dir().resolve("ticker.py"), BOT_SCRIPT);
    Path dataDir = dashboard.dir().resolve("data");
    Map<String, String> env = GatewayProcess.env(dataDir);
    env.put("CODEX32_EXECUTOR_ALLOWED_COMMANDS", "python3");
    env.put("CODEX32_EXECUTOR_SAMPLE_INTERVAL_MS", "500");
    gateway = dashboard.start("dashboard", dataDir, env);
    browser = dashboard.open();
  }

  /** Bots outlive a killed gateway (they lead their own sessions): stop them before the fixture closes it. */
  @AfterAll
  static void stopBots() {
    if (gateway != null) {
      ApiClient admin = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
      admin.get("/api/v1/bots").json().getJsonArray("items").stream().map(bot -> ((JsonObject) bot).getString("id"))
          .forEach(id -> admin.post("/api/v1/bots/" + id + "/stop", null));
    }
  }

  @Test
  @Order(1)
  void aNewAdminCreatesStartsWatchesAndStopsABot() {
    browser.load("/");
    WebElement hint = browser.visible(".hint-box");
    assertThat(hint.getText()).contains("admin").contains("initial-admin-password").contains("CODEX32_ADMIN_PASSWORD");
    browser.screenshot("01-sign-in");
    browser.signIn("admin", GatewayProcess.ADMIN_PASSWORD);

    browser.showing(".empty-title", "No bots yet");
    // the nodes panel loads on its own: the gateway's own node once its first heartbeat is in
    assertThat(browser.within(Duration.ofSeconds(30), d -> browser.present("#nodes-table")
        && browser.find("#nodes-table tbody").getText().contains("local"))).isTrue();
    browser.screenshot("02-fleet-empty");

    browser.click(".empty a.btn-primary");
    browser.visible("#bot-form");
    browser.type("#bot-form [name=id]", "Ticker Bot");
    browser.type("#bot-form [name=name]", "Ticker");
    browser.type("#bot-form [name=command]", "python3\n" + script.toAbsolutePath());
    browser.screenshot("03-bot-form");
    browser.expectConsoleError("/api/v1/bots - Failed to load resource: the server responded with a status of 400");
    browser.click("#bot-form button[type=submit]");
    WebElement idError = browser.visible(".field[data-field=id] .field-error");
    assertThat(idError.getText()).contains("lowercase letters");
    assertThat(browser.find("#bot-form [name=id]").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findAll(".field-error").stream().filter(WebElement::isDisplayed)).as("only the id is wrong").hasSize(1);
    browser.screenshot("04-bot-form-errors");

    browser.type("#bot-form [name=id]", "ticker");
    browser.click("#bot-form button[type=submit]");
    browser.showing(".bot-page h1", "Ticker");
    browser.visible(".status-line [data-status=registered]");

    browser.click("#bot-start");
    browser.visible(".status-line [data-status=running]");
    int lines = browser.until("log lines of the bot", d -> logLines().size() >= 2 ? logLines().size() : null);
    browser.until("more log lines, live", d -> logLines().size() > lines);
    assertThat(logLines().get(0).getText()).contains("tick 0");
    int points = chartPoints("cpu-chart");
    browser.until("a CPU sample more in the chart", d -> chartPoints("cpu-chart") > points);
    browser.until("memory samples in the chart", d -> chartPoints("memory-chart") > 0);
    assertThat(browser.find("[data-fact=pid]").getText()).matches("\\d+");
    browser.screenshot("05-bot-running");

    browser.type(".log-search", "tick 1");
    browser.until("only matching lines", d -> logLines().stream().allMatch(line -> line.getText().contains("tick 1")));
    assertThat(browser.findAll("#log-lines mark")).isNotEmpty();
    browser.type(".log-search", "");
    browser.click("#log-pause");
    int shown = logLines().size();
    browser.until("new lines waiting while paused",
        d -> browser.find(".log-state").getText().matches(".*paused, [1-9]\\d* new lines? waiting.*"));
    assertThat(logLines()).as("no line is added while paused").hasSize(shown);
    browser.click("#log-pause");
    browser.until("the waiting lines shown after resuming", d -> logLines().size() > shown);

    browser.click("#bot-stop");
    browser.confirm();
    browser.visible(".status-line [data-status=stopped]");
    browser.showing("#status-history", "running");
    browser.screenshot("06-bot-stopped");

    browser.click("#bot-edit");
    browser.visible("#bot-form");
    assertThat(browser.present("#bot-form [name=id]")).as("the id cannot be changed").isFalse();
    browser.type("#bot-form [name=description]", "Counts seconds");
    browser.click("#bot-form button[type=submit]");
    browser.showing(".bot-page .facts", "Counts seconds");

    browser.go("/");
    browser.visible("#bots-table tr[data-bot=ticker] [data-status=stopped]");
    browser.screenshot("07-fleet");
  }

  @Test
  @Order(2)
  void aViewerSeesTheFleetButNoControls() {
    ApiClient admin = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    assertThat(admin.post("/api/v1/users", new JsonObject().put("username", "vera").put("password", "viewer-pass-1")
        .put("role", "viewer")).status()).isEqualTo(201);
    browser.load("/");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.signOut();
    browser.signIn("vera", "viewer-pass-1");

    browser.visible("#bots-table tr[data-bot=ticker]");
    assertThat(browser.present("#new-bot")).isFalse();
    assertThat(browser.find("#nav a[data-nav=admin]").isDisplayed()).isFalse();
    browser.click("#bots-table tr[data-bot=ticker] a");
    browser.visible(".status-line [data-status]");
    browser.showing(".bot-page h1", "Ticker");
    for (String control : List.of("#bot-start", "#bot-stop", "#bot-restart", "#bot-edit", "#bot-delete")) {
      assertThat(browser.present(control)).as(control).isFalse();
    }
    browser.visible("#log-lines");
    browser.screenshot("08-viewer-bot");

    browser.go("/admin");
    browser.showing(".error-box", "Your role cannot manage users");
    browser.go("/bots/new");
    browser.showing(".error-box", "Your role cannot create or change bots");
    browser.signOut();
  }

  @Test
  @Order(3)
  void deviceTelemetryAppearsLiveAndACommandIsDelivered() throws Exception {
    browser.load("/#/devices");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.showing(".empty-title", "No devices yet");
    browser.click("#register-device");
    browser.type("#register-form [name=id]", "greenhouse-1");
    browser.type("#register-form [name=name]", "Greenhouse sensor");
    browser.click("#register-form button[type=submit]");
    String secret = browser.visible("#device-secret [data-secret]").getText();
    assertThat(secret).startsWith("d32_");
    browser.screenshot("09-device-registered");
    WebElement row = browser.visible("#devices-table tr[data-device=greenhouse-1]");
    assertThat(row.getText()).contains("offline").contains("never connected");

    // The page subscribes once the list is loaded: publish readings until one shows, so none is sent too early by design.
    int mqtt = mqttPort();
    int n = 0;
    do {
      n++;
      assertThat(n).as("readings published without one showing live").isLessThanOrEqualTo(10);
      run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(mqtt), "-i", "greenhouse-1", "-u", "greenhouse-1", "-P", secret,
          "-t", "devices/greenhouse-1/telemetry", "-q", "1", "-m", "{\"temp\": 21.5, \"n\": " + n + "}");
    } while (!browser.within(Duration.ofSeconds(3), liveReading(n)));
    assertThat(browser.find("#devices-table tr[data-device=greenhouse-1]").getText()).contains("online").contains("21.5");
    browser.screenshot("10-devices");

    browser.click("#devices-table tr[data-device=greenhouse-1] a");
    browser.showing("#latest-telemetry", "21.5");
    Path received = dashboard.dir().resolve("commands.txt");
    Process subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(mqtt), "-i", "greenhouse-1",
        "-u", "greenhouse-1", "-P", secret, "-c", "-q", "1", "-t", "devices/greenhouse-1/commands/#", "-v")
        .redirectErrorStream(true).redirectOutput(received.toFile()).start();
    try {
      browser.type("#command-form [name=name]", "open-valve");
      browser.type("#command-form [name=payload]", "{\"valve\": 2}");
      browser.click("#command-form button[type=submit]");
      browser.visible("#commands-table tr[data-status=queued], #commands-table tr[data-status=delivered]");
      browser.visible("#commands-table tr[data-status=delivered]");
      browser.until("the command at the device", d -> read(received).contains("devices/greenhouse-1/commands/open-valve"));
      assertThat(read(received)).contains("\"valve\":2");
      browser.screenshot("11-device-command-delivered");
    } finally {
      subscriber.destroy();
      subscriber.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(4)
  void anAdminAddsAUserAndCreatesAnApiKeyShownOnce() {
    browser.load("/#/admin");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.visible("#users-table tr[data-user=admin]");
    browser.type("#new-user-form [name=username]", "olga");
    browser.type("#new-user-form [name=password]", "operator-pass-1");
    new Select(browser.find("#new-user-form [name=role]")).selectByValue("operator");
    browser.click("#new-user-form button[type=submit]");
    WebElement olga = browser.visible("#users-table tr[data-user=olga]");
    assertThat(olga.findElement(By.cssSelector("select")).getAttribute("value")).isEqualTo("operator");

    browser.type("#new-key-form [name=name]", "ci");
    browser.click("#new-key-form button[type=submit]");
    String key = browser.visible("#api-keys [data-secret]").getText();
    assertThat(key).startsWith("c32_");
    browser.visible("#keys-table tr");
    browser.screenshot("12-admin");
    assertThat(gateway.api().send("GET", "/api/v1/bots", null, Map.of("X-API-Key", key)).status()).isEqualTo(200);

    browser.load("/#/admin");
    browser.visible("#keys-table tr");
    assertThat(browser.find("main").getText()).as("the key is shown only once").doesNotContain(key);
  }

  private static List<WebElement> logLines() {
    return browser.findAll("#log-lines .log-line");
  }

  private static int chartPoints(String id) {
    return Integer.parseInt(browser.find("#" + id).getAttribute("data-points"));
  }

  /** Reading {@code n} is in the device's row, put there by a live event rather than a reload of the list. */
  private static Function<WebDriver, Boolean> liveReading(int n) {
    return d -> browser.findAll("#devices-table tr[data-device=greenhouse-1][data-updated=live]").stream()
        .anyMatch(row -> row.getText().contains("\"n\":" + n));
  }

  private int mqttPort() throws IOException {
    return new JsonObject(Files.readString(gateway.dataDir().resolve("ports.json"))).getInteger("mqtt");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command[0], new String(process.getInputStream().readAllBytes())).isZero();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
