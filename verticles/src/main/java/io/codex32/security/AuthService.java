package io.codex32.security;

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
    return throttle.check(username, sourceIp)
        .compose(allowed -> users.verifyPassword(username, password))
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

  /**
   * A bearer token of either kind: a bot's {@code CODEX32_BOT_TOKEN} (kind BOT) or a user's access
   * token. Used only where the caller's kind decides the answer (the self endpoints answer users 403).
   */
  public Future<Principal> authenticateBotOrUser(String jwt) {
    return TokenService.looksLikeBotToken(jwt) ? tokens.verifyBotToken(jwt) : tokens.verifyAccessToken(jwt);
  }

  /** A bot's own token; 401 for anything else. */
  public Future<Principal> authenticateBot(String jwt) {
    return tokens.verifyBotToken(jwt);
  }

  /** A key stops working with its owner: an unknown or disabled owner makes it invalid. */
  public Future<Principal> authenticateApiKey(String secret) {
    return apiKeys.authenticate(secret).compose(principal -> users.get(principal.subject())
        .recover(missing -> Future.failedFuture(ApiKeyService.invalidApiKey()))
        .compose(owner -> owner.disabled() ? Future.failedFuture(ApiKeyService.invalidApiKey()) : Future.succeededFuture(principal)));
  }

  /** Changes a user; a new password or a disabled account ends the user's sessions everywhere. */
  public Future<User> updateUser(String username, UserPatch patch) {
    return users.update(username, patch).compose(user -> patch.password() != null || user.disabled()
        ? tokens.revokeAll(username).map(user) : Future.succeededFuture(user));
  }

  /** Deletes a user and ends the user's sessions. */
  public Future<Void> deleteUser(String username) {
    return users.delete(username).compose(v -> tokens.revokeAll(username)).mapEmpty();
  }

  /** Drops expired refresh tokens and token families; run periodically. */
  public Future<Integer> purgeExpired() {
    return tokens.purgeExpired();
  }
}
