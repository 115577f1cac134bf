package io.codex32.voice;

import java.util.Optional;

/**
 * The engine {@code voice.engine} selects on this node, decided once at start (loading a Vosk model
 * blocks: call it on a worker thread). {@code engine} is empty when none can run, and
 * {@code reason} says why (also for {@code off}).
 */
public record EngineSelection(Optional<SpeechEngine> engine, String name, String reason) {

  public static final String OFF = "off";

  public boolean available() {
    return engine.isPresent();
  }

  public static EngineSelection select(VoiceConfig config) {
    switch (config.engine()) {
      case OFF:
        return new EngineSelection(Optional.empty(), OFF, "voice.engine is off");
      case POCKETSPHINX:
        return pocketsphinx(config);
      case VOSK:
        return vosk(config);
      default:
        EngineSelection pocketsphinx = pocketsphinx(config);
        if (pocketsphinx.available() || config.voskModel() == null) {
          return pocketsphinx.available() ? pocketsphinx
              : new EngineSelection(Optional.empty(), OFF,
                  "voice.engine auto: " + pocketsphinx.reason() + "; and no voice.vosk_model is set");
        }
        EngineSelection vosk = vosk(config);
        return vosk.available() ? vosk
            : new EngineSelection(Optional.empty(), OFF, "voice.engine auto: " + pocketsphinx.reason() + "; and " + vosk.reason());
    }
  }

  private static EngineSelection pocketsphinx(VoiceConfig config) {
    PocketsphinxEngine engine = PocketsphinxEngine.debian(config.pocketsphinxCommand());
    Optional<String> missing = engine.unavailability();
    if (missing.isPresent()) {
      return new EngineSelection(Optional.empty(), PocketsphinxEngine.NAME, missing.get());
    }
    try {
      engine.knownWords();
      return new EngineSelection(Optional.of(engine), PocketsphinxEngine.NAME, null);
    } catch (EngineUnavailableException e) {
      return new EngineSelection(Optional.empty(), PocketsphinxEngine.NAME, e.reason());
    }
  }

  private static EngineSelection vosk(VoiceConfig config) {
    VoskEngine engine = new VoskEngine(config.voskModel());
    try {
      engine.load();
      return new EngineSelection(Optional.of(engine), VoskEngine.NAME, null);
    } catch (EngineUnavailableException e) {
      return new EngineSelection(Optional.empty(), VoskEngine.NAME, e.reason());
    }
  }
}
