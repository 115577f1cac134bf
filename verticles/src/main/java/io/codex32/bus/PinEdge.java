package io.codex32.bus;

import java.util.Arrays;
import java.util.Locale;

/** How an input changed: {@code rising} (to high) or {@code falling} (to low). */
public enum PinEdge {
  RISING, FALLING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PinEdge parse(String text) {
    return Arrays.stream(values()).filter(e -> e.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown edge '" + text + "'"));
  }
}
