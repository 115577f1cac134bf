package io.codex32.store;

import io.vertx.pgclient.PgConnectOptions;
import java.util.Objects;

/**
 * The PostgreSQL store ({@link PgDocumentStore}): where it is, how many connections to keep, and
 * how long any one wait may last.
 *
 * @param url {@code postgresql://user:password@host:port/database}
 * @param poolSize connections kept open at most
 * @param connectTimeoutMs bound on opening a TCP connection to the server
 * @param queryTimeoutMs bound on one store operation, waiting for a free pooled connection included
 * @throws IllegalArgumentException when the PostgreSQL client cannot read {@code url}
 */
public record PgStoreSettings(String url, int poolSize, long connectTimeoutMs, long queryTimeoutMs) implements StoreSettings {

  public PgStoreSettings {
    connectOptions(Objects.requireNonNull(url, "url"));
  }

  /** The client's options for {@code url}; the settings were checked when built, so this does not throw. */
  PgConnectOptions connectOptions() {
    return connectOptions(url);
  }

  private static PgConnectOptions connectOptions(String url) {
    try {
      return PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PostgreSQL URL: " + e.getMessage(), e);
    }
  }
}
