package io.codex32.gpio;

import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One pin declared in {@code gpio.pins}; nothing else can be touched. {@code bcm}: the Broadcom GPIO
 * number (0–27 on the 40-pin header). Inputs have a {@code pull} and a {@code debounceMs}; outputs an
 * {@code initial} state (applied at start) and a {@code shutdown} state (applied on a graceful stop);
 * a pwm pin (BCM 12, 13, 18 or 19) a {@code frequencyHz} and always starts and stops at duty 0. {@code activeLow}: high
 * means the line is at 0 V. {@code confirm}: an output or pwm pin whose changes by chat or voice are
 * carried out only after a spoken or typed "yes" (a pump, a door). Fields that do not apply to the
 * mode are null, 0 or false.
 */
public record PinSpec(String name, int bcm, PinMode mode, Pull pull, boolean activeLow, int debounceMs, PinValue initial,
    PinValue shutdown, int frequencyHz, String label, boolean confirm) {

  public PinSpec(String name, int bcm, PinMode mode, Pull pull, boolean activeLow, int debounceMs, PinValue initial,
      PinValue shutdown, int frequencyHz, String label) {
    this(name, bcm, mode, pull, activeLow, debounceMs, initial, shutdown, frequencyHz, label, false);
  }

  public static final int MAX_BCM = 27;
  public static final int MAX_DEBOUNCE_MS = 1_000;
  public static final int DEFAULT_DEBOUNCE_MS = 10;
  public static final int MIN_FREQUENCY_HZ = 1;
  public static final int MAX_FREQUENCY_HZ = 100_000;
  public static final int DEFAULT_FREQUENCY_HZ = 1_000;
  /** The BCM pins carrying the Pi's hardware PWM channels. */
  private static final Set<Integer> PWM_PINS = Set.of(12, 13, 18, 19);
  private static final int MAX_LABEL = 64;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  private static final Set<String> KEYS = Set.of("name", "bcm", "mode", "pull", "active_low", "debounce_ms", "initial", "shutdown",
      "frequency_hz", "label", "confirm");

  /** The pin declared by {@code json}, the element at {@code key} (like {@code gpio.pins[2]}). */
  static PinSpec fromJson(String key, Object element) {
    if (!(element instanceof JsonObject json)) {
      throw new ConfigException(key, "must be an object like {\"name\": \"relay\", \"bcm\": 17, \"mode\": \"output\"}");
    }
    json.fieldNames().stream().filter(field -> !KEYS.contains(field)).findFirst()
        .ifPresent(field -> {
          throw new ConfigException(key + "." + field, "unknown pin key");
        });
    PinReader r = new PinReader(key, json);
    PinMode mode = r.mode();
    String name = r.name(NAME);
    int bcm = (int) r.number("bcm", 0, MAX_BCM, null);
    boolean activeLow = r.flag("active_low");
    String label = r.text("label", MAX_LABEL);
    if (mode == PinMode.INPUT) {
      r.absent("initial", "shutdown", "frequency_hz", "confirm");
      int debounce = (int) r.number("debounce_ms", 0, MAX_DEBOUNCE_MS, (long) DEFAULT_DEBOUNCE_MS);
      return new PinSpec(name, bcm, mode, r.pull(), activeLow, debounce, null, null, 0, label);
    }
    r.absent("pull", "debounce_ms");
    if (mode == PinMode.OUTPUT) {
      r.absent("frequency_hz");
      return new PinSpec(name, bcm, mode, null, activeLow, 0, r.value("initial"), r.value("shutdown"), 0, label, r.flag("confirm"));
    }
    r.absent("initial", "shutdown");
    if (!PWM_PINS.contains(bcm)) {
      throw new ConfigException(key + ".bcm", "a pwm pin must be a hardware PWM pin: BCM 12, 13, 18 or 19, got " + bcm);
    }
    int frequency = (int) r.number("frequency_hz", MIN_FREQUENCY_HZ, MAX_FREQUENCY_HZ, (long) DEFAULT_FREQUENCY_HZ);
    return new PinSpec(name, bcm, mode, null, activeLow, 0, null, null, frequency, label, r.flag("confirm"));
  }
}
