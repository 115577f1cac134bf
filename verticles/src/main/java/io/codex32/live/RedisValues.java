package io.codex32.live;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How live-state values are written to and read from Redis. Hash fields hold the JSON encoding of
 * each value, so numbers, booleans, text, arrays and objects come back as they went in; an empty
 * text is "no value" (the scripts delete such fields). Replies are read the same way whether the
 * server speaks RESP2 (flat arrays) or RESP3 (maps).
 */
final class RedisValues {

  private RedisValues() {
  }

  /** Appends each field and its JSON encoding ({@code ""} for null) to a script's arguments. */
  static Request withFields(Request request, JsonObject fields) {
    fields.forEach(entry -> request.arg(entry.getKey()).arg(entry.getValue() == null ? "" : Json.encode(entry.getValue())));
    return request;
  }

  /** A hash reply (HGETALL) as JSON; empty when the key does not exist. Unreadable fields are skipped. */
  static JsonObject hash(Response reply) {
    JsonObject json = new JsonObject();
    pairs(reply).forEach((field, value) -> {
      try {
        json.put(field, Json.decodeValue(value));
      } catch (DecodeException e) {
        // written by something else: not ours to show
      }
    });
    return json;
  }

  /** Field/value pairs of a map reply or of a flat array of alternating fields and values. */
  static Map<String, String> pairs(Response reply) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (reply == null) {
      return pairs;
    }
    if (reply.isMap()) {
      reply.getKeys().forEach(key -> pairs.put(key, String.valueOf(reply.get(key))));
      return pairs;
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      pairs.put(reply.get(i).toString(), reply.get(i + 1) == null ? null : reply.get(i + 1).toString());
    }
    return pairs;
  }
}
