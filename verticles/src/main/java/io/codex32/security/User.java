package io.codex32.security;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A person who logs in. The password hash never leaves the security package's store records. */
public record User(String username, Role role, boolean disabled, Instant createdAt, Instant updatedAt) {

  /** The public JSON form (API responses): no secrets. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("username", username)
        .put("role", role.wireName())
        .put("disabled", disabled)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
