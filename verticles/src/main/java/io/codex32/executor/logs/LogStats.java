package io.codex32.executor.logs;

/**
 * What following a bot's logs has cost so far. {@code lines}: lines read from both files;
 * {@code published}: lines sent on the event bus; {@code dropped}: lines read but not published
 * (over the publish rate, see {@link BotLogs#PUBLISHED_LINES_PER_SECOND}); {@code skippedBytes}:
 * bytes a rotation truncated before they were read; {@code rotations}: copytruncates done.
 */
public record LogStats(long lines, long published, long dropped, long skippedBytes, long rotations) {

  public static final LogStats NONE = new LogStats(0, 0, 0, 0, 0);
}
