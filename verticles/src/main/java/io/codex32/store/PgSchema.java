package io.codex32.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database to the schema this gateway knows, applying the versioned SQL scripts shipped
 * in the jar ({@code db/postgres/V<n>__<name>.sql}) and recording each in {@code schema_version}.
 * Everything runs in one transaction holding a transaction-level advisory lock, so gateways
 * starting together against one database apply each script once: the others wait for the lock,
 * then find nothing left to do. A database whose version is newer than the newest script is
 * refused ({@link SchemaTooNewException}).
 */
final class PgSchema {

  /** Every migration, oldest first; versions are 1, 2, 3, ... without gaps. Never edit a shipped one: add the next. */
  static final List<Migration> MIGRATIONS = List.of(new Migration(1, "documents"));

  /** Arbitrary but fixed: "codex32" in ASCII. Other applications sharing the database must not use it. */
  static final long ADVISORY_LOCK_KEY = 0x636f6465783332L;
  /** How long a gateway waits for another one that is migrating the same database. */
  static final String LOCK_WAIT = "60s";

  private static final Logger LOG = LoggerFactory.getLogger(PgSchema.class);

  private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
      + "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

  record Migration(int version, String name) {

    String resource() {
      return "db/postgres/V" + version + "__" + name + ".sql";
    }

    String sql() {
      try (InputStream in = PgSchema.class.getClassLoader().getResourceAsStream(resource())) {
        if (in == null) {
          throw new IllegalStateException("migration " + resource() + " is missing from the jar");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource(), e);
      }
    }
  }

  private PgSchema() {
  }

  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /** Migrates and returns the schema version now in force. */
  static Future<Integer> migrate(Pool pool, String database) {
    return pool.withTransaction(connection -> connection.query("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'").execute()
        // Scripts may take long on a big table; the per-query bound of the connection does not apply to them.
        .compose(v -> connection.query("SET LOCAL statement_timeout = 0").execute())
        // "relation already exists, skipping" is what every start but the first would log
        .compose(v -> connection.query("SET LOCAL client_min_messages = warning").execute())
        .compose(v -> connection.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ADVISORY_LOCK_KEY)))
        .compose(v -> connection.query(CREATE_VERSION_TABLE).execute())
        .compose(v -> connection.query("SELECT coalesce(max(version), 0) FROM schema_version").execute())
        .map(rows -> rows.iterator().next().getInteger(0))
        .compose(current -> applyPending(connection, database, current)));
  }

  private static Future<Integer> applyPending(SqlConnection connection, String database, int current) {
    if (current > latestVersion()) {
      return Future.failedFuture(new SchemaTooNewException(database, current, latestVersion()));
    }
    Future<Void> chain = Future.succeededFuture();
    for (Migration migration : MIGRATIONS) {
      if (migration.version() > current) {
        chain = chain.compose(v -> apply(connection, database, migration));
      }
    }
    return chain.map(v -> latestVersion())
        .onSuccess(version -> LOG.info("PostgreSQL database {} is at schema version {}{}", database, version,
            version == current ? "" : " (migrated from " + current + ")"));
  }

  private static Future<Void> apply(SqlConnection connection, String database, Migration migration) {
    LOG.info("Applying {} to PostgreSQL database {}", migration.resource(), database);
    return connection.query(migration.sql()).execute()
        .compose(v -> connection.preparedQuery("INSERT INTO schema_version (version, name) VALUES ($1, $2)")
            .execute(Tuple.of(migration.version(), migration.name())))
        .mapEmpty();
  }
}
