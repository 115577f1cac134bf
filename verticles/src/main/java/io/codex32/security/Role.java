package io.codex32.security;

import io.codex32.error.Codex32Exception;
import java.util.Locale;

/** The four roles; what each may do is decided only by {@link PermissionMatrix}. */
public enum Role {
  ADMIN, OPERATOR, USER, VIEWER;

  /** The lower-case name used in JSON, tokens and configuration. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String value) {
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    throw Codex32Exception.badRequest("invalid_role", "unknown role '" + value + "' (admin, operator, user, viewer)");
  }
}
