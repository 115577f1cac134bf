package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.GatewayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The gateway process, the browser and a temporary directory of a dashboard IT, registered as a
 * static {@code @RegisterExtension} field: a failed test leaves a screenshot, and after all tests
 * (after the class's own {@code @AfterAll} methods, so a failure's screenshot comes first) the
 * browser and the gateway are closed and the directory is deleted. With {@link #checkingConsole()}
 * every test also fails on unexpected errors in the browser console.
 */
final class DashboardFixture implements TestWatcher, AfterEachCallback, AfterAllCallback {

  private final boolean checkConsole;
  private Path dir;
  private GatewayProcess gateway;
  private Browser browser;

  private DashboardFixture(boolean checkConsole) {
    this.checkConsole = checkConsole;
  }

  /** Without the console check (a test that provokes console errors names them with {@link Browser#expectConsoleError}). */
  static DashboardFixture create() {
    return new DashboardFixture(false);
  }

  static DashboardFixture checkingConsole() {
    return new DashboardFixture(true);
  }

  /** A directory for the class's files (the gateway's data directory, say), created on first use. */
  Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("codex32-dashboard-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** Starts the gateway jar; a later call replaces the gateway the fixture closes (the earlier one must be stopped). */
  GatewayProcess start(String name, Path dataDir, Map<String, String> env) {
    gateway = GatewayProcess.start(name, dataDir, env);
    return gateway;
  }

  /** A browser on the gateway's address. */
  Browser open() {
    return open(List.of());
  }

  /** A browser on the gateway's address, Chromium started with {@code chromiumArguments} too. */
  Browser open(List<String> chromiumArguments) {
    browser = Browser.open("http://127.0.0.1:" + gateway.port(), chromiumArguments);
    return browser;
  }

  /** A browser on the gateway's dashboard, signed in as the admin. */
  Browser openSignedIn() {
    return openSignedIn(List.of());
  }

  /** A browser on the gateway's dashboard, signed in as the admin; Chromium started with {@code chromiumArguments} too. */
  Browser openSignedIn(List<String> chromiumArguments) {
    open(chromiumArguments).load("/");
    browser.signIn("admin", GatewayProcess.ADMIN_PASSWORD);
    return browser;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (browser != null) {
      try {
        browser.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (checkConsole && browser != null) {
      assertThat(browser.unexpectedConsoleErrors()).as("errors in the browser console").isEmpty();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      Browser.closeAll(browser, gateway);
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
