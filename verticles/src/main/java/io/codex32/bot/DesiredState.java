package io.codex32.bot;

import java.util.Locale;

/** What the operator asked for; the executor makes the actual status follow it. */
public enum DesiredState {
  RUNNING, STOPPED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DesiredState parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
