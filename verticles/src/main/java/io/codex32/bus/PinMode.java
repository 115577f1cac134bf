package io.codex32.bus;

import java.util.Arrays;
import java.util.Locale;

/** What a declared GPIO pin is for: read ({@code input}), driven ({@code output}) or pulse-width modulated ({@code pwm}). */
public enum PinMode {
  INPUT, OUTPUT, PWM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PinMode parse(String text) {
    return Arrays.stream(values()).filter(m -> m.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown pin mode '" + text + "'"));
  }
}
