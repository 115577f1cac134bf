package io.codex32.audit;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The tamper-evident audit trail: each record carries a sequence number and the SHA-256 of its
 * content chained to the previous record's hash, so altering or removing any record breaks
 * verification. Safe to call from many event loops at once: appends are serialised.
 */
public final class AuditLog {

  public AuditLog(DocumentStore store, Clock clock) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Appends and returns the sealed record as JSON; durable when the future succeeds. */
  public Future<JsonObject> record(AuditEntry entry) {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code {"items":[...], "total":N, "offset":N, "limit":N}}, newest first. */
  public Future<JsonObject> list(AuditQuery query) {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code {"intact":bool, "records":N, "first_broken_seq":N|null, "reason":...}}. */
  public Future<JsonObject> verify() {
    throw new UnsupportedOperationException("TODO");
  }
}
