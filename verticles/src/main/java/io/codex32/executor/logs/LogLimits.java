package io.codex32.executor.logs;

/**
 * Bounds on what a bot's output may cost the node. {@code maxLineBytes}: a longer line keeps its
 * first bytes (whole UTF-8 characters only) and ends with {@link #TRUNCATION_MARKER}; {@code ringLines}: lines kept in memory per bot;
 * {@code maxFileBytes} and {@code keptGenerations}: each of stdout.log / stderr.log is rotated
 * (copy then truncate) before it passes {@code maxFileBytes}, keeping {@code .1 .. .keptGenerations};
 * {@code pollIntervalMs}: how often the files are checked for new bytes.
 */
public record LogLimits(int maxLineBytes, int ringLines, long maxFileBytes, int keptGenerations, long pollIntervalMs) {

  /** Appended to a line that was cut at {@link #maxLineBytes()}. */
  public static final String TRUNCATION_MARKER = "\u2026";
  public static final LogLimits DEFAULTS = new LogLimits(8 * 1024, 1000, 10L * 1024 * 1024, 2, 200);

  public LogLimits {
    require(maxLineBytes >= 4, "maxLineBytes must be at least 4 (one UTF-8 character)", maxLineBytes);
    require(ringLines >= 1, "ringLines must be at least 1", ringLines);
    require(maxFileBytes >= 1, "maxFileBytes must be at least 1", maxFileBytes);
    require(keptGenerations >= 0, "keptGenerations must not be negative", keptGenerations);
    require(pollIntervalMs >= 1, "pollIntervalMs must be at least 1", pollIntervalMs);
  }

  /**
   * Size at which a file is rotated: 7/8 of the cap, so that what a bot writes between two polls
   * usually still fits into the rotated generation whole (see {@link BotLogs} on rotation).
   */
  long rotateAtBytes() {
    return maxFileBytes - maxFileBytes / 8;
  }

  private static void require(boolean ok, String message, long value) {
    if (!ok) {
      throw new IllegalArgumentException(message + ", was " + value);
    }
  }
}
