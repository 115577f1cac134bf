package io.codex32.store;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The document store on PostgreSQL (vertx-pg-client, one connection pool per gateway), for
 * gateways that share their data. One table holds every collection ({@code db/postgres/V1__documents.sql});
 * each write is one statement, so revision checks are decided by the database, atomically, also
 * between gateways. Writes are acknowledged after the server's commit.
 *
 * <p>Every wait is bounded: opening a connection by {@code pg.connect_timeout_ms}, each operation
 * (a free pooled connection included) by {@code pg.query_timeout_ms}, on the client and, as
 * {@code statement_timeout}, on the server. When the server cannot be reached or does not answer
 * in time, the operation fails with 503 {@code store_unavailable} and its outcome is unknown; the
 * pool opens fresh connections once the server is back, nothing has to be restarted.
 */
public final class PgDocumentStore implements DocumentStore {

  /** Waiters for a pooled connection beyond this many fail at once instead of queueing. */
  private static final int MAX_WAITING = 1024;
  /** Rows per statement of a restore. */
  private static final int RESTORE_BATCH = 500;

  private static final String GET = "SELECT revision, body::text FROM documents WHERE collection = $1 AND id = $2";
  private static final String LIST = "SELECT id, revision, body::text FROM documents WHERE collection = $1 ORDER BY seq";
  // The body arrives as text: a String parameter of a json column would be stored as one JSON string.
  private static final String INSERT = "INSERT INTO documents (collection, id, revision, body) VALUES ($1, $2, 1, $3::text::json)"
      + " ON CONFLICT (collection, id) DO NOTHING RETURNING revision";
  private static final String UPDATE = "UPDATE documents SET body = $3::text::json, revision = revision + 1"
      + " WHERE collection = $1 AND id = $2 AND ($4::bigint < 0 OR revision = $4::bigint) RETURNING revision";
  private static final String REVISION = "SELECT revision FROM documents WHERE collection = $1 AND id = $2";
  private static final String UPSERT = "INSERT INTO documents (collection, id, revision, body) VALUES ($1, $2, 1, $3::text::json)"
      + " ON CONFLICT (collection, id) DO UPDATE SET body = EXCLUDED.body, revision = documents.revision + 1 RETURNING revision";
  private static final String DELETE = "DELETE FROM documents WHERE collection = $1 AND id = $2";
  private static final String COLLECTIONS = "SELECT DISTINCT collection FROM documents ORDER BY collection";
  private static final String RESTORE = "INSERT INTO documents (collection, id, revision, body) VALUES ($1, $2, $3, $4::text::json)";

  private final Pool pool;
  /** host:port/database, never the password: goes into messages and logs. */
  private final String database;
  private final long queryTimeoutMs;
  private volatile boolean closed;

  private PgDocumentStore(Pool pool, String database, long queryTimeoutMs) {
    this.pool = pool;
    this.database = database;
    this.queryTimeoutMs = queryTimeoutMs;
  }

  /**
   * Connects, migrates the schema (see {@link PgSchema}) and returns the store. Fails with
   * {@link SchemaTooNewException} on a database of a newer gateway, with 503 {@code store_unavailable}
   * when the server cannot be reached.
   */
  public static Future<PgDocumentStore> open(Vertx vertx, PgStoreSettings settings) {
    PgConnectOptions connect = settings.connectOptions();
    connect.setCachePreparedStatements(true)
        .addProperty("application_name", "codex32-gateway")
        .addProperty("statement_timeout", Long.toString(settings.queryTimeoutMs()));
    String database = connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions()
            .setMaxSize(settings.poolSize())
            .setMaxWaitQueueSize(MAX_WAITING)
            .setConnectionTimeout((int) settings.queryTimeoutMs())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions()
            .setConnectTimeout((int) settings.connectTimeoutMs())
            .setTcpKeepAlive(true))
        .connectingTo(connect)
        .using(vertx)
        .build();
    PgDocumentStore store = new PgDocumentStore(pool, database, settings.queryTimeoutMs());
    return PgSchema.migrate(pool, database)
        .recover(failure -> Future.failedFuture(failure instanceof SchemaTooNewException ? failure
            : store.unavailable("cannot prepare the schema", failure)))
        .map(version -> store)
        .onFailure(failure -> pool.close());
  }

  @Override
  public Future<Document> get(String collection, String id) {
    return run("read", pool.preparedQuery(GET), Tuple.of(collection, id))
        .map(rows -> rows.size() == 0 ? null : document(id, rows.iterator().next(), 0));
  }

  @Override
  public Future<List<Document>> list(String collection) {
    return run("list", pool.preparedQuery(LIST), Tuple.of(collection)).map(rows -> {
      List<Document> docs = new ArrayList<>(rows.size());
      rows.forEach(row -> docs.add(document(row.getString(0), row, 1)));
      return docs;
    });
  }

  @Override
  public Future<Document> insert(String collection, String id, JsonObject body) {
    return encode(collection, id, body)
        .compose(json -> run("insert", pool.preparedQuery(INSERT), Tuple.of(collection, id, json)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw Codex32Exception.conflict("already_exists", collection + " '" + id + "' already exists");
          }
          return new Document(id, rows.iterator().next().getLong(0), body.copy());
        });
  }

  @Override
  public Future<Document> update(String collection, String id, JsonObject body, long expectedRevision) {
    return encode(collection, id, body)
        .compose(json -> run("update", pool.preparedQuery(UPDATE), Tuple.of(collection, id, json, expectedRevision)))
        .compose(rows -> rows.size() == 0 ? whyNotUpdated(collection, id, expectedRevision)
            : Future.succeededFuture(new Document(id, rows.iterator().next().getLong(0), body.copy())));
  }

  /** No row matched: the document is absent, or at another revision than expected. */
  private Future<Document> whyNotUpdated(String collection, String id, long expectedRevision) {
    String what = collection + " '" + id + "'";
    return run("read", pool.preparedQuery(REVISION), Tuple.of(collection, id)).compose(rows -> Future.failedFuture(rows.size() == 0
        ? Codex32Exception.notFound(what + " not found")
        : Codex32Exception.conflict("revision_conflict",
            what + " is at revision " + rows.iterator().next().getLong(0) + ", not " + expectedRevision)));
  }

  @Override
  public Future<Document> upsert(String collection, String id, JsonObject body) {
    return encode(collection, id, body)
        .compose(json -> run("upsert", pool.preparedQuery(UPSERT), Tuple.of(collection, id, json)))
        .map(rows -> new Document(id, rows.iterator().next().getLong(0), body.copy()));
  }

  @Override
  public Future<Boolean> delete(String collection, String id) {
    return run("delete", pool.preparedQuery(DELETE), Tuple.of(collection, id)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<List<String>> collections() {
    return run("list collections", pool.query(COLLECTIONS)::execute).map(rows -> {
      List<String> names = new ArrayList<>(rows.size());
      rows.forEach(row -> names.add(row.getString(0)));
      return names;
    });
  }

  /** One transaction: all documents or, on any failure, none. */
  @Override
  public Future<Void> restore(List<StoredDocument> documents) {
    List<List<Tuple>> batches = new ArrayList<>();
    List<Tuple> batch = new ArrayList<>();
    for (StoredDocument stored : documents) {
      Document doc = stored.document();
      if (doc.revision() < 1) {
        return Future.failedFuture(Codex32Exception.badRequest("invalid_document",
            stored.collection() + " '" + doc.id() + "' has revision " + doc.revision() + "; revisions start at 1"));
      }
      String json;
      try {
        json = doc.body().encode();
      } catch (RuntimeException e) {
        return Future.failedFuture(invalid(stored.collection(), doc.id(), e));
      }
      batch.add(Tuple.of(stored.collection(), doc.id(), doc.revision(), json));
      if (batch.size() == RESTORE_BATCH) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    if (closed) {
      return Future.failedFuture(closedException());
    }
    long timeoutMs = queryTimeoutMs * (1 + batches.size());
    return pool.withTransaction(connection -> {
      Future<Void> chain = Future.succeededFuture();
      for (List<Tuple> rows : batches) {
        chain = chain.compose(v -> connection.preparedQuery(RESTORE).executeBatch(rows).mapEmpty());
      }
      return chain;
    }).timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(failure -> Future.failedFuture(translate("restore", failure)));
  }

  /** Closes the pool; later calls fail with 503 {@code store_unavailable}. */
  @Override
  public Future<Void> close() {
    closed = true;
    return pool.close();
  }

  // ---- helpers ----

  /** Runs one statement under the query timeout and turns a failure of the server or the link into 503. */
  private Future<RowSet<Row>> run(String what, PreparedQuery<RowSet<Row>> query, Tuple args) {
    return run(what, () -> query.execute(args));
  }

  private Future<RowSet<Row>> run(String what, Supplier<Future<RowSet<Row>>> statement) {
    if (closed) {
      return Future.failedFuture(closedException());
    }
    return statement.get().timeout(queryTimeoutMs, TimeUnit.MILLISECONDS).recover(failure -> Future.failedFuture(translate(what, failure)));
  }

  private Throwable translate(String what, Throwable failure) {
    if (failure instanceof Codex32Exception) {
      return failure;
    }
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      if ("23505".equals(pg.getSqlState())) {
        return Codex32Exception.conflict("already_exists", "a document of the " + what + " already exists: " + pg.getDetail());
      }
      if (pg.getSqlState().startsWith("22")) {
        // data exception: the server refused the value itself (e.g. a number JSON cannot hold)
        return Codex32Exception.badRequest("invalid_document", "PostgreSQL refused the document: " + pg.getErrorMessage());
      }
    }
    return unavailable(what + " failed", failure);
  }

  private Codex32Exception unavailable(String what, Throwable failure) {
    String reason = failure instanceof TimeoutException
        ? "no answer within " + queryTimeoutMs + " ms"
        : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return Codex32Exception.unavailable("store_unavailable", "PostgreSQL " + database + ": " + what + ": " + reason, failure);
  }

  private Codex32Exception closedException() {
    return Codex32Exception.unavailable("store_unavailable", "PostgreSQL store " + database + " is closed", null);
  }

  private static Future<String> encode(String collection, String id, JsonObject body) {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(id, "id");
    try {
      return Future.succeededFuture(body.encode());
    } catch (RuntimeException e) {
      return Future.failedFuture(invalid(collection, id, e));
    }
  }

  private static Codex32Exception invalid(String collection, String id, RuntimeException e) {
    return Codex32Exception.badRequest("invalid_document", "cannot serialise " + collection + " '" + id + "': " + e.getMessage());
  }

  /** A row whose revision and body text start at column {@code first}. */
  private Document document(String id, Row row, int first) {
    try {
      return new Document(id, row.getLong(first), new JsonObject(row.getString(first + 1)));
    } catch (DecodeException e) {
      throw Codex32Exception.unavailable("store_corrupted", "PostgreSQL " + database + ": document '" + id + "' is not a JSON object",
          e);
    }
  }
}
