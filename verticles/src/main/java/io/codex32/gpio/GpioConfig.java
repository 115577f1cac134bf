package io.codex32.gpio;

import io.codex32.config.ConfigException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPIO of this node ({@code gpio.*}): whether the GPIO verticle runs, which Pi4J providers it
 * uses, and the only pins it may touch. Two pins may not share a name or a BCM number.
 */
public record GpioConfig(boolean enabled, GpioProvider provider, List<PinSpec> pins) {

  public static final String PINS_KEY = "gpio.pins";

  public GpioConfig {
    pins = List.copyOf(pins);
    Map<String, Integer> names = new HashMap<>();
    Map<Integer, Integer> numbers = new HashMap<>();
    for (int i = 0; i < pins.size(); i++) {
      PinSpec pin = pins.get(i);
      Integer sameName = names.putIfAbsent(pin.name(), i);
      if (sameName != null) {
        throw new ConfigException(key(i) + ".name", "'" + pin.name() + "' is already the name of " + key(sameName));
      }
      Integer sameNumber = numbers.putIfAbsent(pin.bcm(), i);
      if (sameNumber != null) {
        throw new ConfigException(key(i) + ".bcm", "BCM " + pin.bcm() + " is already declared by " + key(sameNumber));
      }
    }
  }

  /** GPIO off: nothing is deployed. */
  public static GpioConfig disabled() {
    return new GpioConfig(false, GpioProvider.MOCK, List.of());
  }

  /**
   * Reads {@code gpio.enabled}, {@code gpio.provider} and {@code gpio.pins} (a JSON array, as the
   * configuration loader keeps it, with one object per pin).
   */
  public static GpioConfig of(boolean enabled, String provider, JsonArray pins) {
    List<PinSpec> specs = new ArrayList<>();
    for (int i = 0; i < pins.size(); i++) {
      specs.add(PinSpec.fromJson(key(i), pins.getValue(i)));
    }
    return new GpioConfig(enabled, GpioProvider.parse("gpio.provider", provider), specs);
  }

  private static String key(int index) {
    return PINS_KEY + "[" + index + "]";
  }
}
