package io.codex32.security;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;

/** The facade the transports use: login, refresh, logout and authenticating a request's credential. */
public final class AuthService {

  private final UserService users;
  private final TokenService tokens;
  private final ApiKeyService apiKeys;
  private final LoginThrottle throttle;

  public AuthService(UserService users, TokenService tokens, ApiKeyService apiKeys, LoginThrottle throttle) {
    this.users = users;
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.throttle = throttle;
  }

  /** 401 {@code invalid_credentials}; 429 when throttled. */
  public Future<TokenPair> login(String username, String password, String sourceIp) {
    try {
      throttle.check(username, sourceIp);
    } catch (Codex32Exception e) {
      return Future.failedFuture(e);
    }
    return users.verifyPassword(username, password)
        .recover(e -> {
          // only wrong credentials count; a store outage must not lock people out
          if (UserService.isCode(e, "invalid_credentials")) {
            throttle.recordFailure(username, sourceIp);
          }
          return Future.failedFuture(e);
        })
        .compose(user -> {
          throttle.recordSuccess(username, sourceIp);
          return tokens.issue(user);
        });
  }

  public Future<TokenPair> refresh(String refreshToken) {
    return tokens.refresh(refreshToken);
  }

  public Future<Void> logout(String refreshToken) {
    return tokens.revoke(refreshToken);
  }

  public Future<Principal> authenticateBearer(String jwt) {
    return tokens.verifyAccessToken(jwt);
  }

  public Future<Principal> authenticateApiKey(String secret) {
    return apiKeys.authenticate(secret);
  }
}
