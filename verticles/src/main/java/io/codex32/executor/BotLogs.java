package io.codex32.executor;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;

/**
 * Follows the log files bots write (stdout.log, stderr.log in their logs dir), line by line and off
 * the event loop: caps line length, keeps a bounded ring per bot, rotates the files before they
 * pass their size cap (copy then truncate, keeping a few generations), and publishes each line on
 * {@code codex32.bots.logs.<botId>}. Because the bot writes the files itself, following continues
 * when an executor restarts and adopts a running bot. Thread-safe.
 */
public final class BotLogs {

  public BotLogs(Vertx vertx, BotPaths paths, LogLimits limits) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Starts following the bot's files; {@code fromEnd} skips what is already in them. */
  public void follow(String botId, boolean fromEnd) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Reads what is left in the files, then stops following. */
  public void unfollow(String botId) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The newest {@code n} lines (oldest first), only those at or after {@code since} when given. */
  public List<LogLine> tail(String botId, int n, Instant since) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Forgets the ring and deletes nothing on disk. */
  public void discard(String botId) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Stops all following threads/timers. */
  public void close() {
    throw new UnsupportedOperationException("TODO");
  }
}
