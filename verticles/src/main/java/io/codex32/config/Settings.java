package io.codex32.config;

import io.codex32.gpio.GpioConfig;
import io.codex32.microphone.MicrophoneConfig;
import io.codex32.voice.VoiceConfig;
import java.nio.file.Path;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Typed reads from the merged configuration with validation messages that name the key. */
final class Settings {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final JsonObject root;

  Settings(JsonObject root) {
    this.root = root;
  }

  Object raw(String key) {
    JsonObject node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i], new JsonObject());
    }
    return node.getValue(parts[parts.length - 1]);
  }

  String string(String key) {
    Object value = raw(key);
    return value == null || value.toString().isBlank() ? null : value.toString().trim();
  }

  String requiredString(String key) {
    String value = string(key);
    if (value == null) {
      throw new ConfigException(key, "must not be empty");
    }
    return value;
  }

  long number(String key, long min, long max) {
    Object value = raw(key);
    if (!(value instanceof Number number)) {
      throw new ConfigException(key, "must be a number");
    }
    long result = number.longValue();
    if (result < min || result > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + result);
    }
    return result;
  }

  int port(String key) {
    return (int) number(key, 0, 65535);
  }

  boolean flag(String key) {
    Object value = raw(key);
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(key, "must be true or false");
    }
    return b;
  }

  String slug(String key) {
    String value = requiredString(key);
    if (!SLUG.matcher(value).matches()) {
      throw new ConfigException(key, "must match [a-z0-9][a-z0-9-]{0,62}, got '" + value + "'");
    }
    return value;
  }

  List<String> list(String key) {
    String value = string(key);
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code gpio.enabled}, {@code gpio.provider}, {@code gpio.pins}. */
  GpioConfig gpio() {
    Object pins = raw(GpioConfig.PINS_KEY);
    if (!(pins instanceof JsonArray array)) {
      throw new ConfigException(GpioConfig.PINS_KEY, "must be a JSON array of pins");
    }
    return GpioConfig.of(flag("gpio.enabled"), requiredString("gpio.provider"), array);
  }

  /** {@code voice.microphone.*}, its push-to-talk pin checked against {@code gpio}. */
  MicrophoneConfig microphone(GpioConfig gpio) {
    String key = "voice.microphone.";
    return MicrophoneConfig.of(flag(key + "enabled"), string(key + "device"), string(key + "command"), string(key + "push_to_talk_pin"),
        string(key + "user"), string(key + "alsa_config"), flag(key + "speak_replies"), gpio);
  }

  /** {@code voice.engine}, {@code voice.vosk_model}, {@code voice.max_seconds}, {@code voice.pocketsphinx_command}. */
  VoiceConfig voice() {
    String model = string("voice.vosk_model");
    return new VoiceConfig(VoiceConfig.Engine.parse("voice.engine", requiredString("voice.engine")), model == null ? null : Path.of(model),
        (int) number("voice.max_seconds", 1, VoiceConfig.MAX_SECONDS_LIMIT), requiredString("voice.pocketsphinx_command"));
  }
}
