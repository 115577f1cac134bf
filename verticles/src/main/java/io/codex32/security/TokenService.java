package io.codex32.security;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Short-lived ES256 access tokens and opaque rotating refresh tokens. A refresh token can be used
 * once; using it again revokes its whole family (every token descended from the same login).
 */
public final class TokenService {

  public TokenService(Vertx vertx, JwtKeys keys, DocumentStore store, UserService users, Clock clock,
      long accessTtlSeconds, long refreshTtlSeconds) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<TokenPair> issue(User user) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 401 {@code invalid_refresh_token}, or {@code refresh_token_reused} (family revoked). */
  public Future<TokenPair> refresh(String refreshToken) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Revokes the refresh token's family. Unknown tokens are ignored. */
  public Future<Void> revoke(String refreshToken) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 401 {@code invalid_token} or {@code token_expired}; reflects the user's current role and state. */
  public Future<Principal> verifyAccessToken(String jwt) {
    throw new UnsupportedOperationException("TODO");
  }
}
