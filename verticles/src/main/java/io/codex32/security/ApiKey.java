package io.codex32.security;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An API key's public record; the secret itself is only in {@link CreatedApiKey}, once. */
public record ApiKey(String id, String name, Role role, String owner, Instant createdAt, Instant lastUsedAt, boolean revoked) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("role", role.wireName())
        .put("owner", owner)
        .put("created_at", createdAt.toString())
        .put("last_used_at", lastUsedAt == null ? null : lastUsedAt.toString())
        .put("revoked", revoked);
  }
}
