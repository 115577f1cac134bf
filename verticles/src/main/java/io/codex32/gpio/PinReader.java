package io.codex32.gpio;

import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Typed reads of one element of {@code gpio.pins}, each failure naming its key ({@code gpio.pins[0].bcm}). */
final class PinReader {

  private final String prefix;
  private final JsonObject json;

  PinReader(String prefix, JsonObject json) {
    this.prefix = prefix;
    this.json = json;
  }

  private String key(String field) {
    return prefix + "." + field;
  }

  String name(Pattern pattern) {
    Object value = json.getValue("name");
    if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
      throw new ConfigException(key("name"), "must match " + pattern + ", got " + (value == null ? "nothing" : "'" + value + "'"));
    }
    return text;
  }

  PinMode mode() {
    Object value = json.getValue("mode");
    try {
      return PinMode.parse(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key("mode"), "must be input, output or pwm, got " + (value == null ? "nothing" : "'" + value + "'"));
    }
  }

  Pull pull() {
    Object value = json.getValue("pull", Pull.NONE.wireName());
    Pull pull = Pull.parse(String.valueOf(value));
    if (pull == null) {
      throw new ConfigException(key("pull"), "must be up, down or none, got '" + value + "'");
    }
    return pull;
  }

  /** {@code high} or {@code low}; {@code low} when absent. */
  PinValue value(String field) {
    Object value = json.getValue(field, PinValue.LOW.wireName());
    try {
      return PinValue.parse(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key(field), "must be high or low, got '" + value + "'");
    }
  }

  long number(String field, long min, long max, Long otherwise) {
    Object value = json.getValue(field);
    if (value == null && otherwise != null) {
      return otherwise;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(key(field), "must be a whole number between " + min + " and " + max);
    }
    if (n.longValue() < min || n.longValue() > max) {
      throw new ConfigException(key(field), "must be between " + min + " and " + max + ", got " + n.longValue());
    }
    return n.longValue();
  }

  boolean flag(String field) {
    Object value = json.getValue(field, false);
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(key(field), "must be true or false");
    }
    return b;
  }

  String text(String field, int max) {
    Object value = json.getValue(field);
    if (value != null && (!(value instanceof String text) || text.length() > max)) {
      throw new ConfigException(key(field), "must be a string of at most " + max + " characters");
    }
    return (String) value;
  }

  /** Fails naming the first of {@code fields} present: it does not apply to this pin's mode. */
  void absent(String... fields) {
    for (String field : fields) {
      if (json.containsKey(field)) {
        throw new ConfigException(key(field), "does not apply to a pin of mode " + json.getValue("mode"));
      }
    }
  }
}
