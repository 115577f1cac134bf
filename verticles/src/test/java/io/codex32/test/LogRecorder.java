package io.codex32.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the named loggers write, each entry its level and message followed by the messages of
 * its exception chain.
 */
public final class LogRecorder extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> entries = new CopyOnWriteArrayList<>();
  private final List<Logger> loggers;

  private LogRecorder(List<Logger> loggers) {
    this.loggers = loggers;
  }

  public static LogRecorder attach(String... loggerNames) {
    LogRecorder recorder = new LogRecorder(List.of(loggerNames).stream().map(name -> (Logger) LoggerFactory.getLogger(name)).toList());
    recorder.start();
    recorder.loggers.forEach(logger -> logger.addAppender(recorder));
    return recorder;
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder entry = new StringBuilder(event.getLevel().toString()).append(' ').append(event.getFormattedMessage());
    for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
      entry.append(" <- ").append(cause.getClassName()).append(": ").append(cause.getMessage());
    }
    entries.add(entry.toString());
  }

  /** Whether an entry contains every one of {@code fragments}. */
  public boolean logged(String... fragments) {
    return entries.stream().anyMatch(entry -> List.of(fragments).stream().allMatch(entry::contains));
  }

  /** Everything recorded so far, oldest first. */
  public List<String> entries() {
    return List.copyOf(entries);
  }

  @Override
  public void close() {
    loggers.forEach(logger -> logger.detachAppender(this));
    stop();
  }
}
