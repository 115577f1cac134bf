package io.codex32.bot;

/** Filters and page of a bot listing; {@code null} filters match everything. */
public record BotQuery(BotStatus status, String role, String node, int offset, int limit) {

  public boolean matches(Bot bot) {
    return (status == null || bot.status() == status)
        && (role == null || role.equals(bot.spec().role()))
        && (node == null || node.equals(bot.node()));
  }
}
