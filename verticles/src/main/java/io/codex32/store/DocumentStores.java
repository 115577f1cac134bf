package io.codex32.store;

import io.codex32.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Opens the store the configuration selects ({@code store}: {@code file} or {@code postgres}). */
public final class DocumentStores {

  private DocumentStores() {
  }

  public static Future<DocumentStore> open(Vertx vertx, GatewayConfig config) {
    return switch (config.store()) {
      case FILE -> FileDocumentStore.open(vertx, config.dataDir()).map(store -> store);
      case POSTGRES -> PgDocumentStore.open(vertx, config.pg()).map(store -> store);
    };
  }
}
