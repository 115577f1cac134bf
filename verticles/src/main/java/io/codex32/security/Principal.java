package io.codex32.security;

/**
 * Who is calling: a user (JWT), an API key or a bot (its {@code CODEX32_BOT_TOKEN}). {@code subject}
 * is the username (for an API key, its owner; for a bot, {@code bot:<id>}); {@code credentialId} is
 * the JWT id or API key id, for the audit trail. A bot holds no permission of any role: it may only
 * call the operations marked {@code x-permission: self}, about itself.
 */
public record Principal(String subject, Role role, Kind kind, String credentialId) {

  public enum Kind { USER, API_KEY, BOT }

  /** The subject prefix of a bot principal. */
  public static final String BOT_PREFIX = "bot:";

  /** A bot's principal; its role is the lowest one and is never consulted ({@link #can} is always false). */
  public static Principal bot(String botId, String tokenId) {
    return new Principal(BOT_PREFIX + botId, Role.VIEWER, Kind.BOT, tokenId);
  }

  public boolean can(Permission permission) {
    return kind != Kind.BOT && PermissionMatrix.allows(role, permission);
  }

  /** The bot's id for a bot principal, else null. */
  public String botId() {
    return kind == Kind.BOT ? subject.substring(BOT_PREFIX.length()) : null;
  }
}
