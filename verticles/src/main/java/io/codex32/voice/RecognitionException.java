package io.codex32.voice;

/** A recognition that failed while decoding: the engine crashed, did not finish in time or said too much. */
public final class RecognitionException extends Exception {

  private static final long serialVersionUID = 1L;

  public RecognitionException(String message) {
    super(message);
  }

  public RecognitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
