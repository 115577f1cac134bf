package io.codex32.supervisor;

import io.codex32.bot.Bot;

/** The outcome of one stored change to a bot: {@code after == before} when nothing needed to change. */
record BotChange(Bot before, Bot after) {

  static BotChange none(Bot bot) {
    return new BotChange(bot, bot);
  }

  boolean isNone() {
    return before == after;
  }

  /** The gateway decided a new status itself (its version grew with the change). */
  boolean decidedStatus() {
    return after.statusVersion() > before.statusVersion();
  }

  /** The node the bot left, or null when it stayed. */
  String leftNode() {
    String left = before.node();
    return left != null && !left.equals(after.node()) ? left : null;
  }
}
