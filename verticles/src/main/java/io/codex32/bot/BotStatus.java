package io.codex32.bot;

import java.util.Locale;

/** The observed state of a bot (contract values). */
public enum BotStatus {
  REGISTERED, DEPLOYING, STARTING, RUNNING, STOPPING, STOPPED, FAILED, RESTARTING, UNKNOWN;

  /** A bot in one of these states may own a live process, so deleting it needs {@code force}. */
  public boolean mayHaveProcess() {
    return switch (this) {
      case DEPLOYING, STARTING, RUNNING, STOPPING, RESTARTING, UNKNOWN -> true;
      default -> false;
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BotStatus parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
