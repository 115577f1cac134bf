package io.codex32.voice;

import io.codex32.config.ConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Speech-to-text on this node ({@code voice.*}): which engine, the Vosk model directory, the
 * longest audio a session may send, and the PocketSphinx command.
 */
public record VoiceConfig(Engine engine, Path voskModel, int maxSeconds, String pocketsphinxCommand) {

  public static final int MAX_SECONDS_LIMIT = 120;

  /** {@code voice.engine}. */
  public enum Engine {
    /** PocketSphinx when its command and model are installed, else Vosk when its model loads, else off. */
    AUTO,
    VOSK,
    POCKETSPHINX,
    OFF;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String key, String text) {
      return Arrays.stream(values()).filter(e -> e.wireName().equals(text)).findFirst()
          .orElseThrow(() -> new ConfigException(key, "must be one of auto, vosk, pocketsphinx, off; got '" + text + "'"));
    }
  }

  /** Voice off. */
  public static VoiceConfig off() {
    return new VoiceConfig(Engine.OFF, null, 15, "pocketsphinx_continuous");
  }

  /** The most audio bytes a session may send: {@code maxSeconds} of 16 kHz 16-bit mono. */
  public long maxAudioBytes() {
    return (long) maxSeconds * SpeechEngine.SAMPLE_RATE * 2;
  }
}
