package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One line a bot wrote, published on {@code codex32.bots.logs.<botId>} and kept in its node's ring.
 * {@code time} is when the line was read (bots write plain text, there is no time of writing);
 * {@code seq} increases per bot across both streams; {@code stream} is {@code stdout} or {@code stderr}.
 */
public record BotLogLine(String botId, long seq, Instant time, String stream, String line) implements BusMessage {

  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";

  private static final String BOT_ID = "bot_id";
  private static final String SEQ = "seq";
  private static final String TIME = "time";
  private static final String STREAM = "stream";
  private static final String LINE = "line";

  @Override
  public JsonObject toJson() {
    return Contract.body().put(BOT_ID, botId).put(SEQ, seq).put(TIME, time.toString()).put(STREAM, stream).put(LINE, line);
  }

  public static BotLogLine fromJson(Object body) {
    Fields f = Fields.of(body);
    return new BotLogLine(f.text(BOT_ID), f.number(SEQ), f.instant(TIME), f.text(STREAM), f.text(LINE));
  }
}
