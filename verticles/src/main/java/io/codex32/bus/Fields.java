package io.codex32.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed reads of one message body. The keys come from the message's own mapping; a missing or
 * malformed field is an {@link UnreadableMessage}, never a ClassCastException on an event loop.
 */
final class Fields {

  private final JsonObject json;

  private Fields(JsonObject json) {
    this.json = json;
  }

  /** The fields of a message body whose contract version this build reads. */
  static Fields of(Object body) {
    return new Fields(Contract.readable(body));
  }

  JsonObject json() {
    return json;
  }

  String text(String key) {
    String value = optionalText(key);
    if (value == null) {
      throw UnreadableMessage.missing(key);
    }
    return value;
  }

  String optionalText(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw UnreadableMessage.malformed(key, "a string");
    }
    return (String) value;
  }

  long number(String key) {
    Long value = optionalNumber(key);
    if (value == null) {
      throw UnreadableMessage.missing(key);
    }
    return value;
  }

  Long optionalNumber(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Number)) {
      throw UnreadableMessage.malformed(key, "a number");
    }
    return value == null ? null : ((Number) value).longValue();
  }

  int integer(String key) {
    Integer value = optionalInt(key);
    if (value == null) {
      throw UnreadableMessage.missing(key);
    }
    return value;
  }

  Integer optionalInt(String key) {
    Long value = optionalNumber(key);
    if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw UnreadableMessage.malformed(key, "a 32-bit number");
    }
    return value == null ? null : value.intValue();
  }

  double decimal(String key) {
    if (json.getValue(key) == null) {
      throw UnreadableMessage.missing(key);
    }
    return decimal(key, 0);
  }

  double decimal(String key, double otherwise) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Number)) {
      throw UnreadableMessage.malformed(key, "a number");
    }
    return value == null ? otherwise : ((Number) value).doubleValue();
  }

  boolean flag(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Boolean)) {
      throw UnreadableMessage.malformed(key, "true or false");
    }
    return Boolean.TRUE.equals(value);
  }

  Instant instant(String key) {
    Instant value = optionalInstant(key);
    if (value == null) {
      throw UnreadableMessage.missing(key);
    }
    return value;
  }

  Instant optionalInstant(String key) {
    String text = optionalText(key);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw UnreadableMessage.malformed(key, "an ISO-8601 instant");
    }
  }

  JsonObject object(String key) {
    JsonObject value = optionalObject(key);
    if (value == null) {
      throw UnreadableMessage.missing(key);
    }
    return value;
  }

  JsonObject optionalObject(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw UnreadableMessage.malformed(key, "an object");
    }
    return (JsonObject) value;
  }

  /** Each element of the array under {@code key} (empty when absent), read by {@code element}. */
  <T> List<T> list(String key, Function<Object, T> element) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw UnreadableMessage.malformed(key, "an array");
    }
    List<T> items = new ArrayList<>(array.size());
    for (Object item : array) {
      items.add(element.apply(item));
    }
    return List.copyOf(items);
  }

  /** A domain value read by {@code reader}, whose own validation failure makes the message unreadable. */
  <T> T parsed(String key, Function<String, T> reader) {
    String text = text(key);
    try {
      return reader.apply(text);
    } catch (IllegalArgumentException e) {
      throw UnreadableMessage.unknownType(key, text);
    }
  }
}
