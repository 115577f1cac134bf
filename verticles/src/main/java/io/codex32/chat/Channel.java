package io.codex32.chat;

import java.util.Locale;

/** How a person talked to the gateway: typed, or spoken and recognised. Recorded in the audit trail. */
public enum Channel {
  CHAT, VOICE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
