package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.codex32.test.TestPostgres;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Export of one store and import into another: everything arrives with its revision and order, or nothing does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreDumpTest {

  private static final String HEADER = "{\"format\":\"codex32-store-dump\",\"version\":1,\"exported_at\":\"2026-01-31T10:00:00Z\"}";
  private static final String DOC = "{\"collection\":\"bots\",\"id\":\"b1\",\"revision\":2,\"body\":{\"v\":1}}";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private final List<DocumentStore> opened = new ArrayList<>();

  @BeforeEach
  void createVertx() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void closeEverything() {
    opened.forEach(store -> Await.result(store.close()));
    Await.result(vertx.close());
  }

  @Test
  void aFileStoreExportedAndImportedIntoPostgresHoldsTheSameDocumentsRevisionsAndOrder() throws IOException {
    DocumentStore file = track(Await.result(FileDocumentStore.open(vertx, dataDir)));
    for (String id : List.of("zeta", "alpha", "mid")) {
      Await.result(file.insert("bots", id, new JsonObject().put("id", id).put("text", "ünïcödé\n\u0000")));
    }
    Await.result(file.update("bots", "alpha", new JsonObject().put("id", "alpha").put("v", 2), 1));
    Await.result(file.insert("users", "admin", new JsonObject().put("role", "admin")));
    Await.result(file.insert("gone", "g", new JsonObject()));
    Await.result(file.delete("gone", "g"));
    StringWriter dump = new StringWriter();

    long exported = StoreDump.export(file, dump, Instant.parse("2026-01-31T10:00:00Z"));
    DocumentStore postgres = track(Await.result(PgDocumentStore.open(vertx,
        new PgStoreSettings(TestPostgres.shared().createDatabase("dump_target"), 2, 2000, 5000))));
    long imported = StoreDump.importInto(postgres, reader(dump.toString()));

    assertThat(exported).isEqualTo(4);
    assertThat(imported).isEqualTo(4);
    assertThat(dump.toString().lines().toList()).hasSize(6).first().isEqualTo(HEADER);
    assertThat(dump.toString().lines().toList()).last().isEqualTo("{\"end\":true,\"documents\":4}");
    assertThat(Await.result(postgres.collections())).isEqualTo(Await.result(file.collections())).containsExactly("bots", "users");
    for (String collection : List.of("bots", "users")) {
      assertThat(Await.result(postgres.list(collection))).isEqualTo(Await.result(file.list(collection)));
    }
    assertThat(Await.result(postgres.get("bots", "alpha")).revision()).isEqualTo(2);
  }

  @Test
  void anImportIntoAStoreThatHoldsDocumentsIsRefusedAndChangesNothing() throws IOException {
    DocumentStore target = track(Await.result(FileDocumentStore.open(vertx, dataDir)));
    Await.result(target.insert("users", "admin", new JsonObject().put("role", "admin")));

    assertThatThrownBy(() -> StoreDump.importInto(target, reader(HEADER + "\n" + DOC + "\n{\"end\":true,\"documents\":1}\n")))
        .isInstanceOfSatisfying(Codex32Exception.class, e -> assertThat(e.code()).isEqualTo("store_not_empty"))
        .hasMessageContaining("users");
    assertThat(Await.result(target.collections())).containsExactly("users");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no end line            | H,D         | line 2: the dump has no end line",
      "count mismatch         | H,D,E2      | line 3: the dump ends after 1 documents but says it holds 2",
      "not JSON               | H,D,X,E1    | line 3: not a JSON object",
      "foreign header         | F,D,E1      | line 1: not a codex32-store-dump version 1 header",
      "empty                  | ''          | line 1: the dump is empty",
      "same id twice          | H,D,D,E2    | line 3: second document bots 'b1'",
      "revision 0             | H,R,E1      | line 2: revision must be a whole number of at least 1",
      "text after the end     | H,D,E1,D    | line 4: text after the end line"})
  void aDamagedDumpIsRefusedNamingTheLineAndNothingIsWritten(String name, String lines, String message) {
    DocumentStore target = track(Await.result(FileDocumentStore.open(vertx, dataDir)));
    StringBuilder dump = new StringBuilder();
    for (String line : lines.isEmpty() ? new String[0] : lines.split(",")) {
      dump.append(switch (line) {
        case "H" -> HEADER;
        case "F" -> "{\"format\":\"something-else\",\"version\":1}";
        case "D" -> DOC;
        case "R" -> DOC.replace("\"revision\":2", "\"revision\":0");
        case "X" -> "{\"collection\":\"bots\",";
        default -> "{\"end\":true,\"documents\":" + line.substring(1) + "}";
      }).append('\n');
    }

    assertThatThrownBy(() -> StoreDump.importInto(target, reader(dump.toString())))
        .isInstanceOfSatisfying(Codex32Exception.class, e -> assertThat(e.code()).isEqualTo("invalid_dump"))
        .hasMessageStartingWith(message);
    assertThat(Await.result(target.collections())).isEmpty();
  }

  private DocumentStore track(DocumentStore store) {
    opened.add(store);
    return store;
  }

  private static BufferedReader reader(String text) {
    return new BufferedReader(new StringReader(text));
  }
}
