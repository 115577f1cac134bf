package io.codex32.microphone;

import io.codex32.bus.PinMode;
import io.codex32.config.ConfigException;
import io.codex32.gpio.GpioConfig;
import io.codex32.gpio.PinSpec;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A node's local microphone ({@code voice.microphone.*}): the ALSA capture {@code device} read by
 * {@code command} (arecord), an optional extra ALSA configuration file ({@code alsaConfig}, read after
 * the system's, e.g. to define the device), the declared GPIO input that is its push-to-talk button
 * ({@code pushToTalkPin}, null: REST only), the {@code user} whose permissions and audit trail spoken
 * commands carry, and whether replies are spoken with espeak-ng.
 */
public record MicrophoneConfig(boolean enabled, String device, String command, String pushToTalkPin, String user, Path alsaConfig,
    boolean speakReplies) {

  private static final String KEY = "voice.microphone.";
  /** ALSA device names: {@code default}, {@code plughw:CARD=Device,DEV=0}, {@code dsnoop:1}, a name from an asoundrc. */
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_:,.=-]{0,127}");
  private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern PIN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  /** No microphone. */
  public static MicrophoneConfig disabled() {
    return new MicrophoneConfig(false, "default", "arecord", null, null, null, false);
  }

  /**
   * The configuration read from its keys, checked against the node's GPIO: the push-to-talk pin must
   * be a declared input of an enabled GPIO. Disabled, only the shapes of the values are checked.
   */
  public static MicrophoneConfig of(boolean enabled, String device, String command, String pin, String user, String alsaConfig,
      boolean speakReplies, GpioConfig gpio) {
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new ConfigException(KEY + "device", "must be an ALSA device name like default or plughw:CARD=Device,DEV=0, got '"
          + device + "'");
    }
    if (command == null) {
      throw new ConfigException(KEY + "command", "must not be empty");
    }
    if (user != null && !USER.matcher(user).matches()) {
      throw new ConfigException(KEY + "user", "must be a username ([a-z0-9][a-z0-9._-]{0,31}), got '" + user + "'");
    }
    if (pin != null && !PIN.matcher(pin).matches()) {
      throw new ConfigException(KEY + "push_to_talk_pin", "must be the name of a pin in gpio.pins, got '" + pin + "'");
    }
    if (enabled) {
      if (user == null) {
        throw new ConfigException(KEY + "user", "must name the user whose permissions spoken commands carry");
      }
      if (pin != null) {
        checkPin(pin, gpio);
      }
    }
    return new MicrophoneConfig(enabled, device, command, pin, user, alsaConfig == null ? null : Path.of(alsaConfig), speakReplies);
  }

  private static void checkPin(String pin, GpioConfig gpio) {
    String key = KEY + "push_to_talk_pin";
    if (!gpio.enabled()) {
      throw new ConfigException(key, "needs gpio.enabled: '" + pin + "' is a GPIO input");
    }
    PinSpec spec = gpio.pins().stream().filter(p -> p.name().equals(pin)).findFirst()
        .orElseThrow(() -> new ConfigException(key, "'" + pin + "' is not declared in gpio.pins"));
    if (spec.mode() != PinMode.INPUT) {
      throw new ConfigException(key, "'" + pin + "' must be an input, it is declared as " + spec.mode().wireName());
    }
  }
}
