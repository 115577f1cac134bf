package io.codex32.test;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Logback appender (see logback-test.xml) that keeps every blocked-thread warning Vert.x logs. */
public final class BlockedThreadRecorder extends AppenderBase<ILoggingEvent> {

  private static final int STACK_DEPTH = 25;
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  /** Keeps the message and, when Vert.x attached one, where the thread was stuck. */
  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder warning = new StringBuilder(event.getFormattedMessage());
    IThrowableProxy stack = event.getThrowableProxy();
    if (stack != null) {
      Arrays.stream(stack.getStackTraceElementProxyArray()).limit(STACK_DEPTH)
          .forEach(frame -> warning.append("\n    ").append(frame.getSTEAsString()));
    }
    WARNINGS.add(warning.toString());
  }

  /** Returns and forgets what was recorded so far. */
  static List<String> drain() {
    List<String> copy = List.copyOf(WARNINGS);
    WARNINGS.clear();
    return copy;
  }
}
