package io.codex32.gateway.dashboard;

import io.codex32.gateway.GatewayProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its chromedriver (both named explicitly: nothing is
 * downloaded), with its own temporary profile, HOME and XDG directories. It collects the browser's
 * console: a test fails on any error there that it did not declare as expected. Screenshots go to
 * {@code target/dashboard-screenshots/}.
 */
final class Browser implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  private static final Dimension DESKTOP = new Dimension(1280, 900);
  /** Selenium warns about every Chromium newer than its CDP bindings; the classic WebDriver commands used here do not need them. */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private final Path home;
  private final ChromeDriver driver;
  private final String base;
  private final List<String> console = new ArrayList<>();
  private final List<String> expected = new ArrayList<>();

  private Browser(Path home, ChromeDriver driver, String base) {
    this.home = home;
    this.driver = driver;
    this.base = base;
  }

  /** A browser for pages under {@code base} (e.g. {@code http://127.0.0.1:8080}). */
  static Browser open(String base) {
    return open(base, List.of());
  }

  /** As {@link #open(String)}, Chromium started with {@code extraArguments} too (a fake microphone, say). */
  static Browser open(String base, List<String> extraArguments) {
    Path home;
    try {
      home = Files.createTempDirectory("codex32-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + home.resolve("profile"), "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
    options.addArguments(extraArguments);
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort()
        .withEnvironment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
            "XDG_CACHE_HOME", home.resolve("cache").toString(), "XDG_DATA_HOME", home.resolve("data").toString()))
        .build();
    return new Browser(home, new ChromeDriver(service, options), base);
  }

  WebDriver driver() {
    return driver;
  }

  /**
   * Loads {@code base + path} afresh, like typing the address into a new page (the tab's session
   * stays). Through a blank page, since moving to an address that differs only after {@code #} would not reload.
   */
  void load(String path) {
    driver.get("about:blank");
    driver.get(base + path);
  }

  /** Goes to a dashboard route (the part after {@code #}) without reloading the page. */
  void go(String route) {
    driver.executeScript("location.hash = arguments[0]", route);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  boolean present(String css) {
    return !findAll(css).isEmpty();
  }

  /** Waits until a visible element matches; fails after {@link #WAIT}. */
  WebElement visible(String css) {
    return until("a visible " + css, d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst()
        .orElse(null));
  }

  /** Waits until an element matching {@code css} shows {@code text}. */
  WebElement showing(String css, String text) {
    return until(css + " showing \"" + text + "\"", d -> d.findElements(By.cssSelector(css)).stream()
        .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null));
  }

  /** Waits until {@code condition} yields a non-null, non-false value; the message names what was awaited. */
  <T> T until(String what, Function<WebDriver, T> condition) {
    // An element the page replaced between finding and reading it is not an answer yet: ask again.
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage(what)
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  /** Whether {@code condition} holds within {@code timeout}; for retrying an action that may come too early. */
  boolean within(Duration timeout, Function<WebDriver, Boolean> condition) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class).until(condition);
    } catch (TimeoutException notYet) {
      return false;
    }
  }

  Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Replaces the content of a field as a person would (select all, type), so the page sees input events. */
  void type(String css, CharSequence... keys) {
    WebElement input = find(css);
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(keys);
  }

  /** Clicks the element; one that a live update re-rendered between finding and clicking it is found again. */
  void click(String css) {
    until("a click on " + css, d -> {
      visible(css).click();
      return true;
    });
  }

  /** Answers a confirmation dialog with its confirming button. */
  void confirm() {
    click("dialog[open] [data-confirm]");
    until("the dialog to close", d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
  }

  void signIn(String username, String password) {
    visible(".login-form [name=password]");
    type(".login-form [name=username]", username);
    type(".login-form [name=password]", password, Keys.ENTER);
    visible("#connection[data-state=live]");
  }

  /** Signs in unless the page, once it has settled, shows someone signed in already. */
  void ensureSignedIn(String username, String password) {
    String page = until("the sign-in form or a signed-in page", d -> present(".login-form") ? "sign-in"
        : present("#sign-out:not([hidden])") ? "signed-in" : null);
    if (page.equals("sign-in")) {
      signIn(username, password);
    }
  }

  void signOut() {
    click("#sign-out");
    visible(".login-form [name=password]");
  }

  /** Whole-page screenshot: the window grows to the page's height for the shot. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      driver.executeScript("window.scrollTo(0, 0)");
      Dimension before = driver.manage().window().getSize();
      long height = (Long) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
      driver.manage().window().setSize(new Dimension(before.width, (int) Math.min(Math.max(height + 100, before.height), 6000)));
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      driver.manage().window().setSize(before);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Phone width (a 390 px viewport, as on most phones) or back to the desktop size. */
  void phone(boolean phone) {
    if (phone) {
      driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    } else {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  void darkMode(boolean dark) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  /** Declares console errors containing {@code fragment} as expected (e.g. the 400 of a refused form). */
  void expectConsoleError(String fragment) {
    expected.add(fragment);
  }

  /** Console errors so far that no test expected. */
  List<String> unexpectedConsoleErrors() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        console.add(entry.getMessage());
      }
    }
    return console.stream().filter(message -> expected.stream().noneMatch(message::contains)).toList();
  }

  /** Closes the browser, then the gateway: whichever of them a test class got to start. */
  static void closeAll(Browser browser, GatewayProcess gateway) {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (gateway != null) {
        gateway.close();
      }
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(home);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // a leftover temporary profile is harmless
    }
  }
}
