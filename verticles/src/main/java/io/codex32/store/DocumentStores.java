package io.codex32.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Opens the store its settings select: the embedded file store or PostgreSQL. */
public final class DocumentStores {

  private DocumentStores() {
  }

  public static Future<DocumentStore> open(Vertx vertx, StoreSettings settings) {
    if (settings instanceof PgStoreSettings pg) {
      return PgDocumentStore.open(vertx, pg).map(store -> store);
    }
    return FileDocumentStore.open(vertx, ((FileStoreSettings) settings).dataDir()).map(store -> store);
  }
}
