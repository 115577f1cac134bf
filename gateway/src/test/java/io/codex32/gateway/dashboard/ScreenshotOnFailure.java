package io.codex32.gateway.dashboard;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** A failed test leaves a screenshot of what the browser showed, named after the test. */
final class ScreenshotOnFailure implements TestWatcher {

  private final Supplier<Browser> browser;

  ScreenshotOnFailure(Supplier<Browser> browser) {
    this.browser = browser;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Browser current = browser.get();
    if (current != null) {
      try {
        current.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
