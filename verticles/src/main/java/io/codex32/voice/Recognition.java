package io.codex32.voice;

import java.util.Optional;

/** One utterance being recognised: PCM in, partial text out, then the final text. Not thread-safe. */
public interface Recognition extends AutoCloseable {

  /**
   * Feeds a chunk of 16-bit little-endian mono PCM (an even number of bytes); the recognised text so
   * far when it changed since the last call, else empty.
   */
  Optional<String> accept(byte[] pcm);

  /** No more audio: the final text ("" when nothing was recognised). Bounded in time by the engine. */
  String finish() throws RecognitionException;

  /** Frees everything (kills a process, frees a decoder); safe to call more than once. */
  @Override
  void close();
}
