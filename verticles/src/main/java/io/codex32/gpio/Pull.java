package io.codex32.gpio;

import java.util.Arrays;
import java.util.Locale;

/** An input's bias resistor: pulled {@code up}, {@code down}, or {@code none} (the circuit drives the line). */
public enum Pull {
  UP, DOWN, NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Pull parse(String text) {
    return Arrays.stream(values()).filter(p -> p.wireName().equals(text)).findFirst().orElse(null);
  }
}
