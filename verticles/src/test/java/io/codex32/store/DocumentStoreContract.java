package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.codex32.test.EventLoops;
import io.codex32.test.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DocumentStore} promises, run against each implementation by a subclass.
 * {@link #openStore()} opens a store on the subclass's backing data (a data directory, a database),
 * which is empty at the start of each test and kept across a close and a new open within it.
 */
abstract class DocumentStoreContract {

  protected Vertx vertx;
  private final List<DocumentStore> opened = new ArrayList<>();

  /** Opens a store on this test's backing data. */
  protected abstract Future<? extends DocumentStore> openStore();

  @BeforeEach
  void createVertx() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void closeEverything() {
    for (DocumentStore store : opened) {
      Await.result(store.close());
    }
    Await.result(vertx.close());
  }

  protected DocumentStore open() {
    return track(Await.result(openStore()));
  }

  /** Closes {@code store} after the test. */
  protected <S extends DocumentStore> S track(S store) {
    opened.add(store);
    return store;
  }

  protected void close(DocumentStore store) {
    Await.result(store.close());
    opened.remove(store);
  }

  // ---- CRUD and revisions ----

  @Test
  void writesReturnRevisionsStartingAtOneAndGrowingByOne() {
    DocumentStore store = open();

    Document inserted = Await.result(store.insert("bots", "b1", new JsonObject().put("name", "first")));
    Document updated = Await.result(store.update("bots", "b1", new JsonObject().put("name", "second"), 1));
    Document upserted = Await.result(store.upsert("bots", "b1", new JsonObject().put("name", "third")));
    Document fresh = Await.result(store.upsert("bots", "b2", new JsonObject().put("name", "other")));

    assertThat(List.of(inserted.revision(), updated.revision(), upserted.revision(), fresh.revision())).containsExactly(1L, 2L, 3L, 1L);
    assertThat(Await.result(store.get("bots", "b1"))).isEqualTo(new Document("b1", 3, new JsonObject().put("name", "third")));
    assertThat(Await.result(store.get("bots", "missing"))).isNull();
    assertThat(Await.result(store.get("no-such-collection", "b1"))).isNull();
    assertThat(Await.result(store.list("no-such-collection"))).isEmpty();
    assertThat(Await.result(store.list("bots"))).extracting(Document::id).containsExactly("b1", "b2");

    assertThat(Await.result(store.delete("bots", "b1"))).isTrue();
    assertThat(Await.result(store.delete("bots", "b1"))).isFalse();
    assertThat(Await.result(store.get("bots", "b1"))).isNull();
    assertThat(Await.result(store.update("bots", "b2", new JsonObject(), -1)).revision()).isEqualTo(2);
  }

  @Test
  void insertOfExistingIdFailsWithAlreadyExists() {
    DocumentStore store = open();
    Await.result(store.insert("users", "alice", new JsonObject().put("v", 1)));

    assertFailure(store.insert("users", "alice", new JsonObject().put("v", 2)), 409, "already_exists");
    assertThat(Await.result(store.get("users", "alice")).body().getInteger("v")).isEqualTo(1);
  }

  @Test
  void updateWithStaleRevisionFailsWithRevisionConflictAndChangesNothing() {
    DocumentStore store = open();
    Await.result(store.insert("users", "alice", new JsonObject().put("v", 1)));
    Await.result(store.update("users", "alice", new JsonObject().put("v", 2), 1));

    assertFailure(store.update("users", "alice", new JsonObject().put("v", 3), 1), 409, "revision_conflict");
    assertThat(Await.result(store.get("users", "alice"))).isEqualTo(new Document("alice", 2, new JsonObject().put("v", 2)));
  }

  @Test
  void updateOfMissingIdFailsWithNotFound() {
    DocumentStore store = open();

    assertFailure(store.update("users", "nobody", new JsonObject(), -1), 404, "not_found");
    assertFailure(store.update("users", "nobody", new JsonObject(), 1), 404, "not_found");
  }

  @Test
  void collectionsAreTheNonEmptyOnesSorted() {
    DocumentStore store = open();
    Await.result(store.insert("users", "u", new JsonObject()));
    Await.result(store.insert("bots", "b", new JsonObject()));
    Await.result(store.insert("gone", "g", new JsonObject()));
    Await.result(store.delete("gone", "g"));

    assertThat(Await.result(store.collections())).containsExactly("bots", "users");
  }

  @Test
  void listKeepsFirstInsertionOrderThroughUpdatesAndPutsReinsertedDocumentsLast() {
    DocumentStore store = open();
    for (String id : List.of("m", "a", "z", "b")) {
      Await.result(store.insert("c", id, new JsonObject().put("id", id)));
    }
    Await.result(store.update("c", "m", new JsonObject().put("v", 2), -1));
    Await.result(store.upsert("c", "a", new JsonObject().put("v", 2)));
    Await.result(store.delete("c", "z"));
    Await.result(store.insert("c", "z", new JsonObject().put("again", true)));
    Await.result(store.upsert("c", "new", new JsonObject()));

    assertThat(Await.result(store.list("c"))).extracting(Document::id).containsExactly("m", "a", "b", "z", "new");
  }

  @Test
  void documentsComeBackExactlyAsWritten() {
    DocumentStore store = open();
    JsonObject body = new JsonObject()
        .put("text", "line\nbreak \"quoted\" ünïcödé \u0000 nul \uD83E\uDD16 tab\t")
        .put("big", Long.MAX_VALUE)
        .put("small", -1)
        .put("fraction", 0.125)
        .put("flag", false)
        .put("nothing", (Object) null)
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").add(new JsonObject())));

    Await.result(store.insert("c", "odd id/with spaces & ünïcödé", body));

    assertThat(Await.result(store.get("c", "odd id/with spaces & ünïcödé")).body()).isEqualTo(body);
    assertThat(Await.result(store.list("c")).get(0).body().getLong("big")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void callersCannotChangeStoredDocumentsThroughTheirJsonObjects() {
    DocumentStore store = open();
    JsonObject body = new JsonObject().put("v", 1);
    Future<Document> insert = store.insert("c", "id", body);
    body.put("v", 99);
    Await.result(insert).body().put("v", 98);
    Await.result(store.get("c", "id")).body().put("v", 97);
    Await.result(store.list("c")).get(0).body().put("v", 96);

    assertThat(Await.result(store.get("c", "id")).body()).isEqualTo(new JsonObject().put("v", 1));
  }

  @Test
  void callsAfterCloseFailWithStoreUnavailable() {
    DocumentStore store = open();
    close(store);

    assertFailure(store.insert("c", "id", new JsonObject()), 503, "store_unavailable");
    assertFailure(store.get("c", "id"), 503, "store_unavailable");
    assertFailure(store.list("c"), 503, "store_unavailable");
  }

  // ---- restore (import of a backup) ----

  @Test
  void restoreKeepsRevisionsAndOrder() {
    DocumentStore store = open();
    Await.result(store.restore(List.of(
        new StoredDocument("bots", new Document("b2", 7, new JsonObject().put("v", "b2"))),
        new StoredDocument("users", new Document("u", 1, new JsonObject().put("v", "u"))),
        new StoredDocument("bots", new Document("b1", 3, new JsonObject().put("v", "b1"))))));

    assertThat(Await.result(store.list("bots"))).containsExactly(
        new Document("b2", 7, new JsonObject().put("v", "b2")), new Document("b1", 3, new JsonObject().put("v", "b1")));
    assertThat(Await.result(store.update("bots", "b1", new JsonObject(), 3)).revision()).isEqualTo(4);
    assertFailure(store.update("bots", "b2", new JsonObject(), 1), 409, "revision_conflict");
  }

  @Test
  void restoreOfAnExistingIdFailsWithAlreadyExistsAndKeepsTheStoredDocument() {
    DocumentStore store = open();
    Await.result(store.insert("bots", "b1", new JsonObject().put("v", "original")));

    assertFailure(store.restore(List.of(new StoredDocument("bots", new Document("b1", 5, new JsonObject().put("v", "restored"))))),
        409, "already_exists");
    assertThat(Await.result(store.get("bots", "b1"))).isEqualTo(new Document("b1", 1, new JsonObject().put("v", "original")));
  }

  // ---- concurrency ----

  @Test
  void resultsArriveOnTheCallersEventLoop() {
    DocumentStore store = open();
    List<Context> loops = EventLoops.deploy(vertx, 2);

    for (Context loop : loops) {
      String id = "on-" + loops.indexOf(loop);
      Await.result(EventLoops.onContext(loop, () -> store.insert("c", id, new JsonObject())));
      Await.result(EventLoops.onContext(loop, () -> store.update("c", id, new JsonObject().put("v", 2), 1)));
      Await.result(EventLoops.onContext(loop, () -> store.get("c", id)));
      Await.result(EventLoops.onContext(loop, () -> store.list("c")));
      Await.cause(EventLoops.onContext(loop, () -> store.update("c", id, new JsonObject(), 1)));
      Await.result(EventLoops.onContext(loop, () -> store.delete("c", id)));
    }
  }

  @Test
  void concurrentInsertsOfOneIdFromSeveralEventLoopsHaveExactlyOneWinner() {
    DocumentStore store = open();
    List<Context> loops = EventLoops.deploy(vertx, 4);

    for (int round = 0; round < 20; round++) {
      String id = "device-" + round;
      List<Future<Document>> attempts = new ArrayList<>();
      for (int i = 0; i < loops.size(); i++) {
        JsonObject body = new JsonObject().put("writer", i);
        attempts.add(EventLoops.onContext(loops.get(i), () -> store.insert("devices", id, body)));
      }
      Await.result(Future.join(attempts).otherwiseEmpty());

      List<Future<Document>> winners = attempts.stream().filter(Future::succeeded).collect(Collectors.toList());
      assertThat(winners).as("winners for %s", id).hasSize(1);
      attempts.stream().filter(Future::failed).forEach(loser -> assertThat(loser.cause())
          .isInstanceOfSatisfying(Codex32Exception.class, e -> assertThat(e.code()).isEqualTo("already_exists")));
      assertThat(Await.result(store.get("devices", id)).body()).isEqualTo(winners.get(0).result().body());
    }
  }

  @Test
  void concurrentUpdatesOfOneRevisionHaveExactlyOneWinner() {
    DocumentStore store = open();
    List<Context> loops = EventLoops.deploy(vertx, 4);
    Await.result(store.insert("bots", "b", new JsonObject().put("writer", -1)));

    for (int round = 0; round < 10; round++) {
      long revision = Await.result(store.get("bots", "b")).revision();
      List<Future<Document>> attempts = new ArrayList<>();
      for (int i = 0; i < loops.size(); i++) {
        JsonObject body = new JsonObject().put("writer", i).put("round", round);
        attempts.add(EventLoops.onContext(loops.get(i), () -> store.update("bots", "b", body, revision)));
      }
      Await.result(Future.join(attempts).otherwiseEmpty());

      List<Future<Document>> winners = attempts.stream().filter(Future::succeeded).collect(Collectors.toList());
      assertThat(winners).as("winners in round %d", round).hasSize(1);
      attempts.stream().filter(Future::failed).forEach(loser -> assertThat(loser.cause())
          .isInstanceOfSatisfying(Codex32Exception.class, e -> assertThat(e.code()).isEqualTo("revision_conflict")));
      assertThat(Await.result(store.get("bots", "b"))).isEqualTo(winners.get(0).result()).extracting(Document::revision)
          .isEqualTo(revision + 1);
    }
  }

  @Test
  void manyConcurrentWritesAreAllThereAfterReopening() {
    DocumentStore store = open();
    int total = insertConcurrently(store, 4, 100);
    close(store);

    assertThat(Await.result(open().list("metrics"))).hasSize(total);
  }

  // ---- restart ----

  @Test
  void reopenKeepsDocumentsRevisionsAndInsertionOrder() {
    DocumentStore store = open();
    Await.result(store.insert("c", "a", new JsonObject().put("v", "a1")));
    Await.result(store.insert("c", "b", new JsonObject().put("v", "b1")));
    Await.result(store.insert("c", "c", new JsonObject().put("v", "c1")));
    Await.result(store.update("c", "a", new JsonObject().put("v", "a2"), 1));
    Await.result(store.delete("c", "b"));
    Await.result(store.insert("c", "b", new JsonObject().put("v", "b2")));
    Await.result(store.insert("other", "x", new JsonObject().put("text", "line\nbreak \"quoted\" ünïcödé")));
    List<Document> before = Await.result(store.list("c"));
    close(store);

    DocumentStore reopened = open();

    assertThat(Await.result(reopened.list("c"))).isEqualTo(before).extracting(Document::id).containsExactly("a", "c", "b");
    assertThat(Await.result(reopened.get("c", "a")).revision()).isEqualTo(2);
    assertThat(Await.result(reopened.get("other", "x")).body().getString("text")).isEqualTo("line\nbreak \"quoted\" ünïcödé");
    assertThat(Await.result(reopened.update("c", "a", new JsonObject(), 2)).revision()).isEqualTo(3);
  }

  protected static void assertFailure(Future<?> future, int status, String code) {
    Codex32Exception e = Await.failure(future);
    assertThat(e.status()).as("status of %s", e.getMessage()).isEqualTo(status);
    assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(code);
  }

  /**
   * Inserts {@code perLoop} documents into "metrics" from each of {@code loops} event loops at once
   * and waits until every insert succeeded; returns how many there were.
   */
  protected int insertConcurrently(DocumentStore store, int loops, int perLoop) {
    List<Context> contexts = EventLoops.deploy(vertx, loops);
    List<Future<Document>> writes = new CopyOnWriteArrayList<>();
    List<Future<Void>> submitted = new ArrayList<>();
    for (int l = 0; l < contexts.size(); l++) {
      int loop = l;
      submitted.add(EventLoops.onContext(contexts.get(l), () -> {
        for (int i = 0; i < perLoop; i++) {
          writes.add(store.insert("metrics", loop + "-" + i, new JsonObject().put("i", i)));
        }
        return Future.succeededFuture();
      }));
    }
    Await.result(Future.all(submitted));
    Await.result(Future.all(new ArrayList<>(writes)));
    return loops * perLoop;
  }
}
