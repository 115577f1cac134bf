package io.codex32.executor;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One line a bot wrote, as kept in its ring and published on {@code codex32.bots.logs.<botId>}.
 * {@code time} is when the line was read (bots write plain text, there is no time of writing);
 * {@code seq} increases per bot across both streams; {@code stream} is {@code stdout} or {@code stderr}.
 * A line longer than {@link LogLimits#maxLineBytes()} keeps its first bytes (whole UTF-8 characters
 * only) and ends with {@link #TRUNCATION_MARKER}; bytes that are not UTF-8 read as U+FFFD.
 */
public record LogLine(String botId, long seq, Instant time, String stream, String line) {

  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";
  /** Appended to a line that was cut at {@link LogLimits#maxLineBytes()}. */
  public static final String TRUNCATION_MARKER = "\u2026";

  public JsonObject toJson() {
    return new JsonObject().put("bot_id", botId).put("seq", seq).put("time", time.toString()).put("stream", stream).put("line", line);
  }
}
