package io.codex32.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Durable storage of JSON documents grouped in collections (bots, users, api_keys,
 * refresh_tokens, audit, ...). Every returned future completes on the caller's context, and a
 * write's future succeeds only once the write is durable (survives kill -9 and power loss).
 *
 * <p>Failures are {@link io.codex32.error.Codex32Exception}s: {@code 409 conflict} on an insert of
 * an existing id or a revision mismatch, {@code 404 not_found} on an update of a missing id,
 * {@code 503 store_unavailable} when the medium fails.
 */
public interface DocumentStore {

  /** The document, or {@code null} when absent. */
  Future<Document> get(String collection, String id);

  /** Every document of the collection, in the order of first insertion. */
  Future<List<Document>> list(String collection);

  /** Stores a new document with revision 1; fails with 409 {@code already_exists} if the id exists. */
  Future<Document> insert(String collection, String id, JsonObject body);

  /**
   * Replaces a document if its current revision equals {@code expectedRevision}
   * (409 {@code revision_conflict} otherwise; 404 when absent). A negative expected revision
   * skips the check.
   */
  Future<Document> update(String collection, String id, JsonObject body, long expectedRevision);

  /** Inserts or replaces regardless of revision. */
  Future<Document> upsert(String collection, String id, JsonObject body);

  /** Removes the document; {@code false} when it was absent. */
  Future<Boolean> delete(String collection, String id);

  /** Names of the collections that hold at least one document, sorted. */
  Future<List<String>> collections();

  /**
   * Adds documents exactly as given, revisions included, in list order (which becomes their
   * insertion order): what an import of a backup does. Fails with 409 {@code already_exists} when
   * one of the ids exists; PostgreSQL then adds none of them (one transaction), the file store
   * every other one.
   */
  Future<Void> restore(List<StoredDocument> documents);

  /** Releases files and locks; later calls fail. */
  Future<Void> close();
}
