package io.codex32.voice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Vosk (Kaldi) through its Java binding. The native library is loaded on first use: the jar carries
 * it for x86-64 Linux, macOS and Windows only, so on a Raspberry Pi {@code libvosk.so} must be
 * installed apart and named with {@code -Djna.library.path=<dir>}; a library that does not load, a
 * model directory that is missing or not a Vosk model makes the engine unavailable, with the reason.
 * The model ({@code voice.vosk_model}) is loaded once and shared by every recognition. Recognition
 * is limited to the vocabulary's words (plus {@code [unk]} for anything else).
 */
public final class VoskEngine implements SpeechEngine {

  public static final String NAME = "vosk";
  private static final String UNKNOWN = "[unk]";

  private final Path modelDir;
  private Model model;

  public VoskEngine(Path modelDir) {
    this.modelDir = modelDir;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Loads the native library (once per JVM); its failure as a reason. */
  public static void loadNativeLibrary() throws EngineUnavailableException {
    try {
      LibVosk.setLogLevel(LogLevel.WARNINGS);
    } catch (LinkageError e) {
      throw new EngineUnavailableException("the Vosk native library does not load on " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + " (" + e + "); on a Raspberry Pi install libvosk.so and start Java with "
          + "-Djna.library.path=<its directory>", e);
    }
  }

  /** Loads the native library and the model now (blocking, seconds for a large model); the reason when either fails. */
  public synchronized void load() throws EngineUnavailableException {
    if (model != null) {
      return;
    }
    if (modelDir == null) {
      throw new EngineUnavailableException("no Vosk model configured (voice.vosk_model)");
    }
    if (!Files.isDirectory(modelDir)) {
      throw new EngineUnavailableException("the Vosk model directory " + modelDir
          + " (voice.vosk_model) does not exist or is not a directory");
    }
    loadNativeLibrary();
    try {
      model = new Model(modelDir.toString());
    } catch (IOException | RuntimeException e) {
      throw new EngineUnavailableException(modelDir + " (voice.vosk_model) is not a Vosk model: " + e.getMessage(), e);
    }
  }

  @Override
  public Recognition open(Vocabulary vocabulary, int sampleRate) throws EngineUnavailableException {
    load();
    JsonArray phrases = new JsonArray();
    vocabulary.words().forEach(phrases::add);
    phrases.add(UNKNOWN);
    Recognizer recognizer;
    synchronized (this) {
      if (model == null) {
        throw new EngineUnavailableException("the Vosk engine was closed");
      }
      recognizer = new Recognizer(model, sampleRate, phrases.encode());
    }
    return new Decoding(recognizer);
  }

  @Override
  public synchronized void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }

  /** One Vosk recognizer: utterances it closed on silence, then what it heard last. */
  private static final class Decoding implements Recognition {

    private final Recognizer recognizer;
    private final StringBuilder heard = new StringBuilder();
    private String lastPartial = "";
    private boolean closed;

    Decoding(Recognizer recognizer) {
      this.recognizer = recognizer;
    }

    @Override
    public Optional<String> accept(byte[] pcm) {
      if (closed) {
        throw new IllegalStateException("the recognition has ended");
      }
      String text;
      if (recognizer.acceptWaveForm(pcm, pcm.length)) {
        append(text(recognizer.getResult(), "text"));
        text = heard.toString();
      } else {
        text = join(heard.toString(), text(recognizer.getPartialResult(), "partial"));
      }
      if (text.equals(lastPartial)) {
        return Optional.empty();
      }
      lastPartial = text;
      return Optional.of(text);
    }

    @Override
    public String finish() {
      append(text(recognizer.getFinalResult(), "text"));
      return heard.toString();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        recognizer.close();
      }
    }

    private void append(String text) {
      String joined = join(heard.toString(), text);
      heard.setLength(0);
      heard.append(joined);
    }

    /** The recognised words without Vosk's {@code [unk]} for what was outside the vocabulary. */
    private static String text(String json, String key) {
      String text = new JsonObject(json).getString(key, "");
      return text.replace(UNKNOWN, " ").strip().replaceAll("\\s+", " ");
    }

    private static String join(String a, String b) {
      return a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b;
    }
  }
}
