package io.codex32.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The answer to one utterance: what to say ({@code text}), the intent and slots it was understood as
 * (null when nothing matched), what the action returned ({@code result}, may be null), whether a yes
 * or no is awaited ({@code awaiting}: {@code confirmation} or {@code choice}, else null), and
 * {@code suggestions}: sentences to try when nothing matched, or the names to choose from.
 */
public record ChatReply(String text, String intent, Map<String, String> slots, JsonObject result, String awaiting,
    List<String> suggestions) {

  public static final String CONFIRMATION = "confirmation";
  public static final String CHOICE = "choice";

  public ChatReply {
    slots = slots == null ? Map.of() : Map.copyOf(slots);
    suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
  }

  static ChatReply say(String text, String intent, Map<String, String> slots, JsonObject result) {
    return new ChatReply(text, intent, slots, result, null, null);
  }

  /** The frame on {@code /ws/command} and the body of {@code POST /api/v1/chat}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", "reply").put("text", text).put("intent", intent)
        .put("slots", new JsonObject(Map.copyOf(slots))).put("result", result);
    if (awaiting != null) {
      json.put("awaiting", awaiting);
    }
    if (!suggestions.isEmpty()) {
      json.put("suggestions", new JsonArray(suggestions));
    }
    return json;
  }
}
