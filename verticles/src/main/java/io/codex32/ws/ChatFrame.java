package io.codex32.ws;

import io.codex32.chat.ChatService;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A client text frame on {@code /ws/command/{user}}, validated once:
 * {@code {"type":"message","text":…}} (or the bare text itself), {@code {"type":"audio_start",
 * "sample_rate":16000[,"node":…]}}, {@code {"type":"audio_end"}}, {@code {"type":"audio_cancel"}},
 * {@code {"type":"ping"}}.
 */
record ChatFrame(Kind kind, String text, int sampleRate, String node) {

  enum Kind { MESSAGE, AUDIO_START, AUDIO_END, AUDIO_CANCEL, PING }

  /** What a node id looks like (node.id): anything else names no node and is refused before it reaches the bus. */
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** @throws ClientMessage.Invalid with the error code and message the client gets back */
  static ChatFrame parse(String frame) {
    String trimmed = frame.strip();
    if (!trimmed.startsWith("{")) {
      return new ChatFrame(Kind.MESSAGE, trimmed, 0, null);
    }
    JsonObject json;
    try {
      json = new JsonObject(trimmed);
    } catch (RuntimeException e) {
      throw new ClientMessage.Invalid("invalid_json", "a frame must be one JSON object or plain text");
    }
    Object type = json.getValue("type");
    if ("message".equals(type)) {
      if (!(json.getValue("text") instanceof String text)) {
        throw new ClientMessage.Invalid("invalid_message", "\"text\" must be a string");
      }
      return new ChatFrame(Kind.MESSAGE, text, 0, null);
    }
    if ("audio_start".equals(type)) {
      Object rate = json.getValue("sample_rate", 16_000);
      Object node = json.getValue("node");
      if (!(rate instanceof Integer sampleRate)) {
        throw new ClientMessage.Invalid("bad_sample_rate", "\"sample_rate\" must be an integer (16000)");
      }
      if (node != null && !(node instanceof String id && NODE_ID.matcher(id).matches())) {
        throw new ClientMessage.Invalid("invalid_message", "\"node\" must be a node id ([a-z0-9][a-z0-9-]{0,62})");
      }
      return new ChatFrame(Kind.AUDIO_START, null, sampleRate, (String) node);
    }
    if ("audio_end".equals(type)) {
      return new ChatFrame(Kind.AUDIO_END, null, 0, null);
    }
    if ("audio_cancel".equals(type)) {
      return new ChatFrame(Kind.AUDIO_CANCEL, null, 0, null);
    }
    if ("ping".equals(type)) {
      return new ChatFrame(Kind.PING, null, 0, null);
    }
    throw new ClientMessage.Invalid("unknown_type", "\"type\" must be message, audio_start, audio_end, audio_cancel or ping; "
        + "or send the text itself (at most " + ChatService.MAX_TEXT + " characters)");
  }
}
