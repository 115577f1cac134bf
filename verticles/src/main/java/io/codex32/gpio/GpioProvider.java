package io.codex32.gpio;

import io.codex32.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which Pi4J providers drive the pins ({@code gpio.provider}): {@code gpiod} (libgpiod, the only one
 * on a Pi 5), {@code linuxfs} (sysfs), {@code mock} (Pi4J's mock platform, nothing real is touched),
 * or {@code auto}: {@code gpiod} on a Raspberry Pi whose {@code /dev/gpiochip*} is readable, else
 * {@code mock}.
 */
public enum GpioProvider {
  AUTO, GPIOD, LINUXFS, MOCK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static GpioProvider parse(String key, String text) {
    return Arrays.stream(values()).filter(p -> p.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new ConfigException(key, "must be auto, gpiod, linuxfs or mock, got '" + text + "'"));
  }
}
