package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * The version of the event-bus contract this build speaks. Every message carries it as {@code "v"};
 * a message without one is version 1 (what nodes sent before the key existed). A reader accepts
 * every version up to its own and ignores keys it does not know, so fields may be added without a
 * new version; a version is only raised when a message changes incompatibly, and a reader then
 * refuses the newer message with {@code unsupported_contract} instead of misreading it.
 */
public final class Contract {

  public static final int VERSION = 1;
  static final String KEY = "v";

  private Contract() {
  }

  /** A new message body stamped with this build's contract version. */
  static JsonObject body() {
    return new JsonObject().put(KEY, VERSION);
  }

  /**
   * {@code body} without its version, for where a message's JSON is shown to clients as it was
   * before the key existed (WebSocket frames, REST answers). Changes and returns {@code body}.
   */
  public static JsonObject withoutVersion(JsonObject body) {
    body.remove(KEY);
    return body;
  }

  /** The body, after checking that this build can read its version. */
  static JsonObject readable(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw UnreadableMessage.of("not_json", "the message is not a JSON object");
    }
    Object version = json.getValue(KEY);
    if (version == null) {
      return json;
    }
    if (!(version instanceof Number n) || n.intValue() < 1) {
      throw UnreadableMessage.of("bad_field", "'" + KEY + "' must be a positive number");
    }
    if (n.intValue() > VERSION) {
      throw UnreadableMessage.of("unsupported_contract",
          "message of contract version " + n.intValue() + "; this build reads up to " + VERSION);
    }
    return json;
  }
}
