package io.codex32.store;

import io.vertx.core.json.JsonObject;

/**
 * One stored JSON document. {@code revision} starts at 1 and grows by one with every write, so
 * callers can detect concurrent updates (optimistic concurrency).
 */
public record Document(String id, long revision, JsonObject body) {
}
