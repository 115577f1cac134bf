package io.codex32.voice;

/**
 * An offline speech-to-text engine. {@link #open} may block (it starts a process or builds a
 * decoder) and is called on a worker thread; so are every method of the {@link Recognition} it
 * returns, one call at a time per recognition.
 */
public interface SpeechEngine extends AutoCloseable {

  /** The only sample rate the node accepts: 16 kHz mono, signed 16-bit little-endian PCM. */
  int SAMPLE_RATE = 16_000;

  /** {@code pocketsphinx} or {@code vosk}: what {@code voice.engine} names it. */
  String name();

  /**
   * A recognition constrained to {@code vocabulary}; {@link EngineUnavailableException} when the
   * engine cannot run (its binary, model or native library is missing or broken).
   */
  Recognition open(Vocabulary vocabulary, int sampleRate) throws EngineUnavailableException;

  /**
   * Decodes a whole recording (16-bit little-endian mono PCM at {@code sampleRate}) as the node does
   * a streamed one, in chunks of a tenth of a second: what a benchmark compares with the engine's
   * own tools on the same file.
   */
  default String transcribe(Vocabulary vocabulary, int sampleRate, byte[] pcm) throws EngineUnavailableException, RecognitionException {
    int chunk = sampleRate / 10 * 2;
    try (Recognition recognition = open(vocabulary, sampleRate)) {
      for (int from = 0; from < pcm.length; from += chunk) {
        recognition.accept(java.util.Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + chunk)));
      }
      return recognition.finish();
    }
  }

  /** Frees what the engine holds for all its recognitions (a model, temporary files). */
  @Override
  default void close() {
  }
}
