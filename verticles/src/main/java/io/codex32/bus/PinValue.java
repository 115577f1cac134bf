package io.codex32.bus;

import java.util.Arrays;
import java.util.Locale;

/** A digital pin's logical state ({@code active_low} already applied): {@code high} or {@code low}. */
public enum PinValue {
  HIGH, LOW;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public PinValue inverse() {
    return this == HIGH ? LOW : HIGH;
  }

  /** The edge that leads to this value. */
  public PinEdge edge() {
    return this == HIGH ? PinEdge.RISING : PinEdge.FALLING;
  }

  public static PinValue parse(String text) {
    return Arrays.stream(values()).filter(v -> v.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown pin value '" + text + "'"));
  }
}
