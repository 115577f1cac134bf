package io.codex32.runtime;

import io.codex32.config.ConfigException;
import io.codex32.config.GatewayConfig;
import io.codex32.config.PgConfig;
import io.codex32.config.StoreKind;
import io.codex32.store.DocumentStore;
import io.codex32.store.DocumentStores;
import io.codex32.store.FileStoreSettings;
import io.codex32.store.PgStoreSettings;
import io.codex32.store.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The store the gateway's configuration selects ({@code store}, {@code data_dir}, {@code pg.*}). */
public final class ConfiguredStore {

  private ConfiguredStore() {
  }

  /** Opens it; a {@code pg.url} the PostgreSQL client cannot read fails with a {@link ConfigException}. */
  public static Future<DocumentStore> open(Vertx vertx, GatewayConfig config) {
    return Future.<Void>succeededFuture().compose(v -> DocumentStores.open(vertx, settings(config)));
  }

  static StoreSettings settings(GatewayConfig config) {
    if (config.store() == StoreKind.FILE) {
      return new FileStoreSettings(config.dataDir());
    }
    PgConfig pg = config.pg();
    try {
      return new PgStoreSettings(pg.url(), pg.poolSize(), pg.connectTimeoutMs(), pg.queryTimeoutMs());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pg.url", e.getMessage());
    }
  }
}
