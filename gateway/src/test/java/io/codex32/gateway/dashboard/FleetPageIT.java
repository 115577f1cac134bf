package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.ApiClient;
import io.codex32.gateway.GatewayProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The fleet page with 200 bots: how long its first render takes (measured and written to
 * {@code target/dashboard-bench/}, reported in docs/benchmarks.md, not asserted), filtering, phone
 * width and dark mode, getting around with the keyboard alone, and a node's link to its page.
 */
@Timeout(300)
class FleetPageIT {

  private static final int BOTS = 200;
  private static final int RENDERS = 5;
  private static final Path BENCH = Path.of("target", "dashboard-bench");

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.checkingConsole();
  private static GatewayProcess gateway;
  private static Browser browser;

  @BeforeAll
  static void start() {
    gateway = dashboard.start("fleet-page", dashboard.dir().resolve("data"), GatewayProcess.env(dashboard.dir().resolve("data")));
    ApiClient admin = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    for (int i = 0; i < BOTS; i++) {
      String id = String.format("bot-%03d", i);
      JsonObject spec = new JsonObject().put("id", id).put("name", String.format("Sensor %03d", i)).put("role", "collector")
          .put("command", new JsonArray().add("python3").add("/opt/bots/sensor.py"));
      assertThat(admin.post("/api/v1/bots", spec).status()).as(id).isEqualTo(201);
    }
    browser = dashboard.openSignedIn();
  }

  @Test
  void theFirstRenderOfTwoHundredBotsIsMeasured() throws IOException {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < RENDERS; i++) {
      browser.load("/#/");
      millis.add(browser.until("the fleet's first render", d -> {
        Object ms = browser.script("return document.documentElement.dataset.fleetRenderedMs");
        return ms == null ? null : Long.parseLong((String) ms);
      }));
      assertThat(browser.findAll("#bots-table tbody tr")).hasSize(BOTS);
    }
    assertThat(browser.find(".summary").getText()).startsWith(BOTS + " bots");
    browser.screenshot("20-fleet-200-bots");

    List<Long> sorted = millis.stream().sorted().toList();
    String report = String.format("fleet page, %d bots, first render (navigation start to first frame with the list), "
        + "%d loads in headless Chromium: median %d ms, min %d ms, max %d ms (each: %s)%n", BOTS, RENDERS, sorted.get(RENDERS / 2),
        sorted.get(0), sorted.get(RENDERS - 1), millis.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    Files.createDirectories(BENCH);
    Files.writeString(BENCH.resolve("fleet-first-render.txt"), report);
    System.out.print(report);
  }

  @Test
  void theFilterNarrowsTheListByNameAndStatus() {
    browser.load("/#/");
    browser.until("all bots listed", d -> browser.findAll("#bots-table tbody tr").size() == BOTS);
    browser.type("#bot-filter", "bot-19");
    browser.until("ten bots shown", d -> visibleRows().size() == 10);
    assertThat(visibleRows()).allMatch(row -> row.getText().contains("bot-19"));
    new Select(browser.find("#status-filter")).selectByValue("running");
    browser.showing("main", "No bot matches the filter.");
    new Select(browser.find("#status-filter")).selectByValue("registered");
    browser.type("#bot-filter", "");
    browser.until("every registered bot", d -> visibleRows().size() == BOTS);
  }

  @Test
  void onAPhoneInDarkModeTheListFitsTheScreenAndReadsLightOnDark() {
    browser.phone(true);
    browser.darkMode(true);
    try {
      browser.load("/#/");
      browser.until("all bots listed", d -> browser.findAll("#bots-table tbody tr").size() == BOTS);
      long overflow = (Long) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(overflow).as("horizontal scrolling on a 390 px screen").isLessThanOrEqualTo(0);
      assertThat(luminance("document.body", "backgroundColor")).as("background").isLessThan(0.1);
      assertThat(luminance("document.querySelector('#bots-table td')", "color")).as("text").isGreaterThan(0.6);
      browser.screenshot("21-fleet-phone-dark");
    } finally {
      browser.phone(false);
      browser.darkMode(false);
    }
  }

  @Test
  void theKeyboardAloneReachesABotAndFocusIsAlwaysVisible() {
    browser.load("/#/");
    browser.until("all bots listed", d -> browser.findAll("#bots-table tbody tr").size() == BOTS);
    browser.script("document.activeElement.blur()");
    new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
    assertThat(browser.script("return document.activeElement.className")).isEqualTo("skip-link");
    assertThat(browser.find(".skip-link").getRect().getY()).as("the skip link comes into view").isGreaterThanOrEqualTo(0);
    for (int tab = 0; tab < 30 && !"Sensor 000".equals(focusedText()); tab++) {
      assertThat(browser.script("const s = getComputedStyle(document.activeElement); "
          + "return s.outlineStyle !== 'none' && s.outlineWidth !== '0px'")).as("focus ring on %s", focusedText()).isEqualTo(true);
      new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
    }
    assertThat(focusedText()).startsWith("Sensor 000");
    new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
    browser.showing(".bot-page h1", "Sensor 000");
    assertThat(browser.script("return document.activeElement.tagName")).as("focus moves to the new page's heading").isEqualTo("H1");
  }

  @Test
  void aNodeLinksToItsPageWhichExplainsCalmlyThatItRunsNoGpio() {
    browser.load("/#/");
    browser.click("#nodes-table a[href='#/nodes/local']");
    browser.showing(".node-page h1", "local");
    browser.visible(".node-page [data-fact=state] .badge");
    browser.expectConsoleError("/api/v1/nodes/local/gpio - Failed to load resource: the server responded with a status of 503");
    WebElement noGpio = browser.showing("#gpio .empty", "No GPIO on this node right now");
    assertThat(noGpio.getText()).contains("has no GPIO running");
    assertThat(browser.present("#gpio .error-box")).as("an explanation, not an error").isFalse();
    assertThat(browser.present("#gpio-simulated:not([hidden])")).isFalse();
    browser.visible("#gpio-retry");
  }

  private static List<WebElement> visibleRows() {
    return browser.findAll("#bots-table tbody tr").stream().filter(WebElement::isDisplayed).toList();
  }

  private static String focusedText() {
    Object text = browser.script("return document.activeElement.innerText");
    return text == null ? "" : ((String) text).trim().split("\n")[0];
  }

  /** Relative luminance (0 black .. 1 white) of a computed colour. */
  private static double luminance(String element, String property) {
    String rgb = (String) browser.script("return getComputedStyle(" + element + ")." + property);
    String[] parts = rgb.replaceAll("[^0-9,.]", "").split(",");
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = Double.parseDouble(parts[i]) / 255;
      c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
}
