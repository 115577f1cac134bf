package io.codex32.bot;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A change to a bot's spec as an RFC 7396 JSON merge patch: a key set to null is removed, an
 * object is merged key by key, anything else replaces. {@code placement} is replaced as a whole
 * (node and labels are alternatives), and the id never changes.
 */
public final class BotPatch {

  private static final String PLACEMENT = "placement";
  private static final String ID = "id";

  private final JsonObject changes;

  private BotPatch(JsonObject changes) {
    this.changes = changes;
  }

  /** The patch in a request body. */
  public static BotPatch fromJson(JsonObject changes) {
    return new BotPatch(changes.copy());
  }

  /** {@code current} with this patch applied; the spec's validation error when the result is not a valid spec. */
  public BotSpec applyTo(BotSpec current) {
    JsonObject merged = merge(current.toJson(), changes);
    if (changes.getValue(PLACEMENT) instanceof JsonObject placement) {
      merged.put(PLACEMENT, placement.copy());
    }
    return BotSpec.fromJson(merged.put(ID, current.id()));
  }

  static JsonObject merge(JsonObject target, JsonObject patch) {
    JsonObject result = target.copy();
    for (Map.Entry<String, Object> entry : patch) {
      Object value = entry.getValue();
      if (value == null) {
        result.remove(entry.getKey());
      } else if (value instanceof JsonObject patchObject && result.getValue(entry.getKey()) instanceof JsonObject current) {
        result.put(entry.getKey(), merge(current, patchObject));
      } else {
        result.put(entry.getKey(), value);
      }
    }
    return result;
  }
}
