package io.codex32.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.codex32.config.AuthConfig;
import io.codex32.error.Codex32Exception;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** bcrypt password hashing. Blocking and deliberately slow: call it from a worker thread. */
public final class PasswordHasher {

  private final int cost;

  public PasswordHasher(int cost) {
    if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
      throw new IllegalArgumentException("bcrypt cost must be between " + BCrypt.MIN_COST + " and " + BCrypt.MAX_COST + ", was " + cost);
    }
    this.cost = cost;
  }

  public String hash(String password) {
    Objects.requireNonNull(password, "password");
    checkLength(password);
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  /** {@code false} for a wrong password, an over-long password, or a malformed hash; never throws. */
  public boolean verify(String password, String hash) {
    if (password == null || hash == null || hash.isEmpty() || utf8Length(password) > AuthConfig.MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
    } catch (IllegalArgumentException ignored) {
      // the library throws on some malformed hashes (bad cost, empty) instead of reporting them
      return false;
    }
  }

  /** 400 {@code password_too_long} when bcrypt could not use the whole password. */
  static void checkLength(String password) {
    if (password != null && utf8Length(password) > AuthConfig.MAX_PASSWORD_BYTES) {
      throw Codex32Exception.badRequest("password_too_long",
          "password must be at most " + AuthConfig.MAX_PASSWORD_BYTES + " bytes in UTF-8");
    }
  }

  private static int utf8Length(String password) {
    return password.getBytes(StandardCharsets.UTF_8).length;
  }
}
