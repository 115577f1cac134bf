package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.codex32.test.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract on a real PostgreSQL database, and what only it does: migrations, the schema version, one-transaction restores. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgDocumentStoreTest extends DocumentStoreContract {

  private static TestPostgres postgres;
  private static String database;
  private static String url;

  @BeforeAll
  static void createDatabase() {
    postgres = TestPostgres.shared();
    url = postgres.createDatabase("pg_document_store_test");
    database = url.substring(url.lastIndexOf('/') + 1);
  }

  /** Each test starts from an empty database, without even the schema. */
  @BeforeEach
  void dropSchema() {
    postgres.execute(database, "DROP TABLE IF EXISTS documents, schema_version");
  }

  @Override
  protected Future<PgDocumentStore> openStore() {
    return PgDocumentStore.open(vertx, config(url));
  }

  private static PgStoreSettings config(String url) {
    return new PgStoreSettings(url, 4, 2000, 5000);
  }

  @Test
  void storesOpeningAnEmptyDatabaseTogetherApplyEachMigrationOnce() {
    List<Future<PgDocumentStore>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(openStore());
    }
    List<PgDocumentStore> stores = opening.stream().map(Await::result).map(this::track).toList();

    List<Integer> versions = new ArrayList<>();
    postgres.query(database, "SELECT version FROM schema_version ORDER BY version", row -> versions.add(row.getInt(1)));
    assertThat(versions).isEqualTo(PgSchema.MIGRATIONS.stream().map(PgSchema.Migration::version).toList());
    Await.result(stores.get(0).insert("c", "x", new JsonObject().put("v", 1)));
    assertThat(Await.result(stores.get(3).get("c", "x")).body()).isEqualTo(new JsonObject().put("v", 1));
  }

  @Test
  void aDatabaseOfANewerGatewayIsRefusedAndLeftAlone() {
    close(open());
    postgres.execute(database, "INSERT INTO schema_version (version, name) VALUES (" + (PgSchema.latestVersion() + 1) + ", 'future')");

    Throwable refused = Await.cause(openStore());

    assertThat(refused).isInstanceOf(SchemaTooNewException.class)
        .hasMessage("PostgreSQL database 127.0.0.1:" + postgres.port() + "/" + database + " has schema version "
            + (PgSchema.latestVersion() + 1) + ", newer than the " + PgSchema.latestVersion()
            + " this gateway knows; run a gateway at least as new as the one that migrated it");
    List<Integer> versions = new ArrayList<>();
    postgres.query(database, "SELECT version FROM schema_version ORDER BY version", row -> versions.add(row.getInt(1)));
    assertThat(versions).hasSize(PgSchema.latestVersion() + 1);
  }

  @Test
  void aRestoreWithOneExistingIdAddsNothing() {
    DocumentStore store = open();
    Await.result(store.insert("bots", "taken", new JsonObject()));

    assertFailure(store.restore(List.of(
        new StoredDocument("bots", new Document("new-1", 2, new JsonObject())),
        new StoredDocument("users", new Document("new-2", 1, new JsonObject())),
        new StoredDocument("bots", new Document("taken", 4, new JsonObject())))), 409, "already_exists");

    assertThat(Await.result(store.list("bots"))).extracting(Document::id).containsExactly("taken");
    assertThat(Await.result(store.list("users"))).isEmpty();
  }

  @Test
  void anUnreachableServerFailsTheOpenWithStoreUnavailableWithoutThePassword() {
    String nowhere = "postgresql://codex:secret-pw@127.0.0.1:" + unusedPort() + "/" + database;

    Throwable refused = Await.cause(PgDocumentStore.open(vertx, config(nowhere)));

    assertThat(refused).isInstanceOfSatisfying(Codex32Exception.class,
        e -> assertThat(e.code()).isEqualTo("store_unavailable"));
    assertThat(refused.getMessage()).contains("127.0.0.1").doesNotContain("secret-pw");
  }

  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
