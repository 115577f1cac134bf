package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.ApiClient;
import io.codex32.gateway.GatewayProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The GPIO panel of the node page against the gateway jar whose own node {@code local} runs GPIO
 * on Pi4J's mock platform (a relay output, a button input and a pwm fan, declared through the
 * environment): the "simulated" badge, toggle and pulse with the REST API agreeing, a refusal beside
 * its control, a duty cycle set from the keyboard, and a viewer who sees the pins without controls.
 * Input edges cannot be made from outside the gateway's JVM; GpioEventsSocketMockTest covers that
 * path.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GpioPanelIT {

  private static final String PINS = new JsonArray()
      .add(new JsonObject().put("name", "relay").put("bcm", 17).put("mode", "output").put("label", "Pump relay"))
      .add(new JsonObject().put("name", "button").put("bcm", 27).put("mode", "input").put("pull", "up"))
      .add(new JsonObject().put("name", "fan").put("bcm", 18).put("mode", "pwm"))
      .encode();
  private static final String RELAY = "#gpio-pins tr[data-pin=relay]";

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.checkingConsole();
  private static GatewayProcess gateway;
  private static ApiClient admin;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Path dataDir = dashboard.dir().resolve("data");
    Map<String, String> env = GatewayProcess.env(dataDir);
    env.put("CODEX32_GPIO_ENABLED", "true");
    env.put("CODEX32_GPIO_PROVIDER", "mock");
    env.put("CODEX32_GPIO_PINS", PINS);
    env.put("CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "1000");
    gateway = dashboard.start("gpio-panel", dataDir, env);
    admin = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    browser = dashboard.openSignedIn();
  }

  @Test
  @Order(1)
  void anAdminTogglesAndPulsesTheRelayOnTheMockMarkedSimulated() {
    browser.click("#nodes-table a[href='#/nodes/local']");
    browser.showing(".node-page h1", "local");
    browser.visible("#node-bots");
    assertThat(browser.visible("#gpio-simulated").getText()).isEqualTo("simulated (mock)");
    assertThat(browser.find(RELAY).getText()).contains("Pump relay").contains("17").contains("output");
    browser.visible(RELAY + " [data-value=low]");
    assertThat(browser.find("#gpio-pins tr[data-pin=button]").getText()).contains("input").contains("read only");

    browser.click(RELAY + " [data-action=toggle]");
    browser.visible(RELAY + " [data-value=high]");
    assertThat(relayValue()).isEqualTo("high");
    browser.screenshot("40-node-gpio-relay-high");
    browser.click(RELAY + " [data-action=toggle]");
    browser.visible(RELAY + " [data-value=low]");

    browser.type(RELAY + " [name=duration_ms]", "1500");
    browser.click(RELAY + " [data-action=pulse]");
    browser.visible(RELAY + " [data-value=high]");
    browser.showing(RELAY, "back after 1500 ms");
    browser.visible(RELAY + " [data-value=low]");
    assertThat(relayValue()).as("the relay after its pulse").isEqualTo("low");
  }

  @Test
  @Order(2)
  void theNodesRefusalShowsBesideTheControlOnTheMock() {
    browser.load("/#/nodes/local");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.expectConsoleError("/api/v1/nodes/local/gpio/relay - Failed to load resource: the server responded with a status of 422");
    browser.type(RELAY + " [name=duration_ms]", "70000");
    browser.click(RELAY + " [data-action=pulse]");
    assertThat(browser.visible(RELAY + " .field-error").getText()).contains("duration_ms must be between 1 and 60000");
    browser.screenshot("41-node-gpio-refused");
    browser.click(RELAY + " [data-action=toggle]");
    browser.until("the refusal cleared by the next action", d -> !browser.find(RELAY + " .field-error").isDisplayed());
    browser.visible(RELAY + " [data-value=high]");
  }

  @Test
  @Order(3)
  void anAdminSetsTheFansDutyCycleOnTheMock() {
    String fan = "#gpio-pins tr[data-pin=fan]";
    browser.load("/#/nodes/local");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.showing(fan, "0 % at 1000 Hz");
    browser.type(fan + " [name=duty]", "40", Keys.ENTER);
    browser.showing(fan, "40 % at 1000 Hz");
    assertThat(admin.get("/api/v1/nodes/local/gpio/fan").json().getDouble("duty")).isEqualTo(40.0);
  }

  @Test
  @Order(4)
  void aViewerSeesThePinsOnTheMockWithoutControls() {
    assertThat(admin.post("/api/v1/users", new JsonObject().put("username", "gina").put("password", "viewer-pass-1")
        .put("role", "viewer")).status()).isEqualTo(201);
    browser.load("/#/nodes/local");
    browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
    browser.signOut();
    browser.signIn("gina", "viewer-pass-1");
    browser.load("/#/nodes/local");

    browser.visible(RELAY + " [data-value]");
    browser.visible("#gpio-pins tr[data-pin=button] [data-value]");
    browser.visible("#gpio-simulated");
    assertThat(browser.findAll("#gpio-pins th")).extracting(th -> th.getText()).doesNotContain("Control");
    assertThat(browser.findAll("#gpio button, #gpio form, #gpio input")).as("controls for a viewer").isEmpty();
    browser.screenshot("42-node-gpio-viewer");
    browser.signOut();
  }

  @Test
  @Order(5)
  void onAPhoneInDarkModeTheNodePageFitsTheScreenOnTheMock() {
    browser.phone(true);
    browser.darkMode(true);
    try {
      browser.load("/#/nodes/local");
      browser.ensureSignedIn("admin", GatewayProcess.ADMIN_PASSWORD);
      browser.visible(RELAY + " [data-value]");
      long overflow = (Long) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(overflow).as("horizontal scrolling on a 390 px screen").isLessThanOrEqualTo(0);
      browser.screenshot("43-node-gpio-phone-dark");
    } finally {
      browser.phone(false);
      browser.darkMode(false);
    }
  }

  private static String relayValue() {
    return admin.get("/api/v1/nodes/local/gpio/relay").json().getString("value");
  }
}
