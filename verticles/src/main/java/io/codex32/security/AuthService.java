package io.codex32.security;

import io.vertx.core.Future;

/** The facade the transports use: login, refresh, logout and authenticating a request's credential. */
public final class AuthService {

  public AuthService(UserService users, TokenService tokens, ApiKeyService apiKeys, LoginThrottle throttle) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 401 {@code invalid_credentials}; 429 when throttled. */
  public Future<TokenPair> login(String username, String password, String sourceIp) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<TokenPair> refresh(String refreshToken) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<Void> logout(String refreshToken) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<Principal> authenticateBearer(String jwt) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<Principal> authenticateApiKey(String secret) {
    throw new UnsupportedOperationException("TODO");
  }
}
