package io.codex32.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A client frame, validated once: {@code {"op": "subscribe"|"unsubscribe"|"ping", "topics": [...]}}. */
record ClientMessage(String op, List<String> topics) {

  private static final Set<String> OPS = Set.of("subscribe", "unsubscribe", "ping");

  /** @throws Invalid with the error code and message the client gets back */
  static ClientMessage parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new Invalid("invalid_json", "a frame must be one JSON object");
    }
    if (!(json.getValue("op") instanceof String op) || !OPS.contains(op)) {
      throw new Invalid("unknown_op", "\"op\" must be subscribe, unsubscribe or ping");
    }
    if (op.equals("ping")) {
      return new ClientMessage(op, List.of());
    }
    if (!(json.getValue("topics") instanceof JsonArray array)) {
      throw new Invalid("invalid_message", "\"topics\" must be an array of topic names");
    }
    List<String> topics = new ArrayList<>(array.size());
    for (Object topic : array) {
      if (!(topic instanceof String name)) {
        throw new Invalid("invalid_message", "\"topics\" must contain strings only");
      }
      topics.add(name);
    }
    return new ClientMessage(op, topics);
  }

  /** A frame the server cannot use; the connection stays open. */
  static final class Invalid extends RuntimeException {
    private final String code;

    Invalid(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }
}
