package io.codex32.security;

/**
 * Who is calling: a user (JWT) or an API key. {@code subject} is the username (for an API key,
 * its owner); {@code credentialId} is the JWT id or API key id, for the audit trail.
 */
public record Principal(String subject, Role role, Kind kind, String credentialId) {

  public enum Kind { USER, API_KEY }

  public boolean can(Permission permission) {
    return PermissionMatrix.allows(role, permission);
  }
}
