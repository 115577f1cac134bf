package io.codex32.config;

/** Bad configuration: the message names the key so the one line printed at start says what to fix. */
public class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }
}
