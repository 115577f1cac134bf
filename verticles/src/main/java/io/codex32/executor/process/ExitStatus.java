package io.codex32.executor.process;

/**
 * How a bot process ended. {@code code} is null when unknown (an adopted process is not our
 * child, so its exit code cannot be read); {@code signal} is set when a signal ended it.
 */
public record ExitStatus(Integer code, Integer signal) {

  public boolean success() {
    return code != null && code == 0 && signal == null;
  }
}
