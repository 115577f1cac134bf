package io.codex32.config;

/** Token lifetimes, signing keys and login throttling. */
public record AuthConfig(long accessTokenTtlSeconds, long refreshTokenTtlSeconds, String jwtPrivateKey, String jwtPublicKey,
    int bcryptCost, int loginMaxFailures, long loginWindowSeconds) {

  /** bcrypt reads only the first 72 bytes of a password; longer ones are refused rather than silently truncated. */
  public static final int MAX_PASSWORD_BYTES = 72;

  static AuthConfig from(Settings s) {
    AuthConfig config = new AuthConfig(
        s.number("auth.access_token_ttl_s", 30, 86_400),
        s.number("auth.refresh_token_ttl_s", 60, 90L * 86_400),
        s.string("auth.jwt_private_key"),
        s.string("auth.jwt_public_key"),
        (int) s.number("auth.bcrypt_cost", 4, 16),
        (int) s.number("auth.login_max_failures", 1, 1000),
        s.number("auth.login_window_s", 1, 86_400));
    if ((config.jwtPrivateKey == null) != (config.jwtPublicKey == null)) {
      throw new ConfigException(config.jwtPrivateKey == null ? "auth.jwt_private_key" : "auth.jwt_public_key",
          "the gateway signs tokens: set auth.jwt_private_key and auth.jwt_public_key together, or neither to generate a pair");
    }
    return config;
  }
}
