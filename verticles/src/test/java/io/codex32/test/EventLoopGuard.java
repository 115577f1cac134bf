package io.codex32.test;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit extension auto-detection): a test fails when Vert.x reported a
 * blocked event loop while it ran.
 */
public final class EventLoopGuard implements BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) {
    BlockedThreadRecorder.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> warnings = BlockedThreadRecorder.drain();
    if (!warnings.isEmpty()) {
      throw new AssertionError("event loop blocked during " + context.getDisplayName() + ": " + warnings);
    }
  }
}
