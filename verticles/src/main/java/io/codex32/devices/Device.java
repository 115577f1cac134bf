package io.codex32.devices;

import io.codex32.store.Document;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A registered device. Its secret is never kept, only the SHA-256 of it. */
public record Device(String id, String name, JsonObject labels, boolean enabled, String secretSha256, Instant createdAt,
    Instant updatedAt, long revision) {

  static Device fromDocument(Document doc) {
    JsonObject body = doc.body();
    return new Device(doc.id(), body.getString("name"), body.getJsonObject("labels", new JsonObject()), body.getBoolean("enabled", true),
        body.getString("secret_sha256"), Instant.parse(body.getString("created_at")), Instant.parse(body.getString("updated_at")),
        doc.revision());
  }

  JsonObject toDocument() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("labels", labels)
        .put("enabled", enabled)
        .put("secret_sha256", secretSha256)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }

  /** The API view: everything but the secret's hash. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("labels", labels.copy())
        .put("enabled", enabled)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
