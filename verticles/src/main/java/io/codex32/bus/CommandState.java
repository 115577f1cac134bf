package io.codex32.bus;

import java.util.Arrays;
import java.util.Locale;

/** Where a device command stands: {@code queued → delivered}, or {@code queued → expired} after its TTL. */
public enum CommandState {
  QUEUED, DELIVERED, EXPIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandState parse(String text) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown command status '" + text + "'"));
  }
}
