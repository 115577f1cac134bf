package io.codex32.security;

import io.vertx.core.json.JsonObject;

/** A new API key together with its plaintext secret, which is shown this one time only. */
public record CreatedApiKey(ApiKey key, String secret) {

  public JsonObject toJson() {
    return key.toJson().put("key", secret);
  }
}
