package io.codex32.voice;

/** An engine that cannot run here, with the reason a person can act on (a missing binary, model or native library). */
public final class EngineUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String reason) {
    super(reason);
  }

  public EngineUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }

  public String reason() {
    return getMessage();
  }
}
