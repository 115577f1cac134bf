package io.codex32.security;

import io.vertx.core.json.JsonObject;

/** What login and refresh return. */
public record TokenPair(String accessToken, String refreshToken, long expiresInSeconds) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("access_token", accessToken)
        .put("refresh_token", refreshToken)
        .put("token_type", "Bearer")
        .put("expires_in", expiresInSeconds);
  }
}
