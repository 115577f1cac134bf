package io.codex32.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded default store: an append-only journal of checksummed records in
 * {@code <data>/store/}, fsynced before a write is acknowledged, compacted by writing a new file
 * and renaming it atomically over the old one. An exclusive lock keeps a second process out of
 * the same data directory. A torn last record (crash mid-write) is dropped with a warning.
 */
public final class FileDocumentStore implements DocumentStore {

  /** Opens (or creates) the store; fails with {@link DataDirLockedException} if another process holds it. */
  public static Future<FileDocumentStore> open(Vertx vertx, Path dataDir) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Document> get(String collection, String id) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<List<Document>> list(String collection) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Document> insert(String collection, String id, JsonObject body) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Document> update(String collection, String id, JsonObject body, long expectedRevision) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Document> upsert(String collection, String id, JsonObject body) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Boolean> delete(String collection, String id) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public Future<Void> close() {
    throw new UnsupportedOperationException("TODO");
  }
}
