package io.codex32.bus;

import io.codex32.voice.Vocabulary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON form of a speech {@link Vocabulary}, shared by {@link VoiceRequest.Open} and {@link ChatAnswer.Words}. */
final class VocabularyJson {

  private static final String SENTENCES = "sentences";
  private static final String SLOTS = "slots";

  private VocabularyJson() {
  }

  static JsonObject toJson(Vocabulary vocabulary) {
    JsonObject slots = new JsonObject();
    vocabulary.slots().forEach((name, values) -> slots.put(name, new JsonArray(values)));
    return new JsonObject().put(SENTENCES, new JsonArray(vocabulary.sentences())).put(SLOTS, slots);
  }

  /** The vocabulary in {@code json}, found under {@code key} (named in errors). */
  static Vocabulary fromJson(String key, JsonObject json) {
    Fields f = Fields.of(json);
    List<String> sentences = f.list(SENTENCES, element -> text(key, element));
    Map<String, List<String>> slots = new LinkedHashMap<>();
    JsonObject slotsJson = f.optionalObject(SLOTS);
    if (slotsJson != null) {
      for (Map.Entry<String, Object> slot : slotsJson) {
        if (!(slot.getValue() instanceof JsonArray values)) {
          throw UnreadableMessage.malformed(key + "." + SLOTS + "." + slot.getKey(), "an array of strings");
        }
        slots.put(slot.getKey(), values.stream().map(element -> text(key, element)).toList());
      }
    }
    return new Vocabulary(sentences, slots);
  }

  private static String text(String key, Object element) {
    if (!(element instanceof String text)) {
      throw UnreadableMessage.malformed(key, "sentences and slot values as strings");
    }
    return text;
  }
}
