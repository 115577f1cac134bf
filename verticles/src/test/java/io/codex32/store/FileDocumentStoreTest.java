package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.codex32.test.EventLoops;
import io.codex32.test.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileDocumentStoreTest {

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private final List<FileDocumentStore> opened = new ArrayList<>();

  @BeforeEach
  void createVertx() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (FileDocumentStore store : opened) {
      Await.result(store.close());
    }
    Await.result(vertx.close());
  }

  // ---- CRUD and revisions ----

  @Test
  void writesReturnRevisionsStartingAtOneAndGrowingByOne() throws Exception {
    FileDocumentStore store = open();

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
  void insertOfExistingIdFailsWithAlreadyExists() throws Exception {
    FileDocumentStore store = open();
    Await.result(store.insert("users", "alice", new JsonObject().put("v", 1)));

    assertFailure(store.insert("users", "alice", new JsonObject().put("v", 2)), 409, "already_exists");
    assertThat(Await.result(store.get("users", "alice")).body().getInteger("v")).isEqualTo(1);
  }

  @Test
  void updateWithStaleRevisionFailsWithRevisionConflictAndChangesNothing() throws Exception {
    FileDocumentStore store = open();
    Await.result(store.insert("users", "alice", new JsonObject().put("v", 1)));
    Await.result(store.update("users", "alice", new JsonObject().put("v", 2), 1));

    assertFailure(store.update("users", "alice", new JsonObject().put("v", 3), 1), 409, "revision_conflict");
    assertThat(Await.result(store.get("users", "alice"))).isEqualTo(new Document("alice", 2, new JsonObject().put("v", 2)));
  }

  @Test
  void updateOfMissingIdFailsWithNotFound() {
    FileDocumentStore store = open();

    assertFailure(store.update("users", "nobody", new JsonObject(), -1), 404, "not_found");
  }

  @Test
  void callersCannotChangeStoredDocumentsThroughTheirJsonObjects() throws Exception {
    FileDocumentStore store = open();
    JsonObject body = new JsonObject().put("v", 1);
    Future<Document> insert = store.insert("c", "id", body);
    body.put("v", 99);
    Await.result(insert).body().put("v", 98);
    Await.result(store.get("c", "id")).body().put("v", 97);
    Await.result(store.list("c")).get(0).body().put("v", 96);

    assertThat(Await.result(store.get("c", "id")).body()).isEqualTo(new JsonObject().put("v", 1));
  }

  @Test
  void callsAfterCloseFailWithStoreUnavailable() throws Exception {
    FileDocumentStore store = open();
    Await.result(store.close());

    assertFailure(store.insert("c", "id", new JsonObject()), 503, "store_unavailable");
    assertFailure(store.get("c", "id"), 503, "store_unavailable");
  }

  // ---- concurrency ----

  @Test
  void concurrentInsertsOfOneIdFromSeveralEventLoopsHaveExactlyOneWinner() throws Exception {
    FileDocumentStore store = open();
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
  void manyConcurrentWritesAreAllDurableAndShareFsyncs() throws Exception {
    FileDocumentStore store = open();
    List<Context> loops = EventLoops.deploy(vertx, 4);
    int perLoop = 250;

    List<Future<Document>> writes = new CopyOnWriteArrayList<>();
    List<Future<Void>> submitted = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      int loop = l;
      submitted.add(EventLoops.onContext(loops.get(l), () -> {
        for (int i = 0; i < perLoop; i++) {
          writes.add(store.insert("metrics", loop + "-" + i, new JsonObject().put("i", i)));
        }
        return Future.succeededFuture();
      }));
    }
    Await.result(Future.all(submitted));
    Await.result(Future.all(writes));

    int total = loops.size() * perLoop;
    // Group commit: one fsync per write would be `total`; waiting writes share the next one.
    assertThat(store.journalSyncs()).isLessThanOrEqualTo(total / 2);
    Await.result(store.close());
    opened.remove(store);

    List<Document> reopened = Await.result(open().list("metrics"));
    assertThat(reopened).hasSize(total);
  }

  // ---- restart ----

  @Test
  void reopenKeepsDocumentsRevisionsAndInsertionOrder() throws Exception {
    FileDocumentStore store = open();
    Await.result(store.insert("c", "a", new JsonObject().put("v", "a1")));
    Await.result(store.insert("c", "b", new JsonObject().put("v", "b1")));
    Await.result(store.insert("c", "c", new JsonObject().put("v", "c1")));
    Await.result(store.update("c", "a", new JsonObject().put("v", "a2"), 1));
    Await.result(store.delete("c", "b"));
    Await.result(store.insert("c", "b", new JsonObject().put("v", "b2")));
    Await.result(store.insert("other", "x", new JsonObject().put("text", "line\nbreak \"quoted\" ünïcödé")));
    List<Document> before = Await.result(store.list("c"));
    Await.result(store.close());
    opened.remove(store);

    FileDocumentStore reopened = open();

    assertThat(Await.result(reopened.list("c"))).isEqualTo(before).extracting(Document::id).containsExactly("a", "c", "b");
    assertThat(Await.result(reopened.get("c", "a")).revision()).isEqualTo(2);
    assertThat(Await.result(reopened.get("other", "x")).body().getString("text")).isEqualTo("line\nbreak \"quoted\" ünïcödé");
    assertThat(Await.result(reopened.update("c", "a", new JsonObject(), 2)).revision()).isEqualTo(3);
  }

  @ParameterizedTest(name = "tail: {0}")
  @ValueSource(strings = {"half-record", "garbage-without-newline", "bad-checksum", "bad-json"})
  void tornLastRecordIsDroppedWithWarningAndStoreKeepsWorking(String tail) throws Exception {
    FileDocumentStore store = open();
    Await.result(store.insert("c", "kept-1", new JsonObject().put("v", 1)));
    Await.result(store.insert("c", "kept-2", new JsonObject().put("v", 2)));
    Await.result(store.close());
    opened.remove(store);
    Path journal = journal();
    long goodLength = Files.size(journal);
    Files.write(journal, tailBytes(tail, journal), StandardOpenOption.APPEND);

    List<ILoggingEvent> warnings = captureWarnings(() -> open());
    FileDocumentStore reopened = opened.get(opened.size() - 1);

    assertThat(warnings).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains(journal.toAbsolutePath().toString(), "byte offset " + goodLength);
    assertThat(Files.size(journal)).as("truncated to the last good record").isEqualTo(goodLength);
    assertThat(Await.result(reopened.list("c"))).extracting(Document::id).containsExactly("kept-1", "kept-2");
    Await.result(reopened.insert("c", "after", new JsonObject()));
    Await.result(reopened.close());
    opened.remove(reopened);

    List<ILoggingEvent> laterWarnings = captureWarnings(() -> open());
    assertThat(laterWarnings).isEmpty();
    assertThat(Await.result(opened.get(opened.size() - 1).list("c"))).extracting(Document::id).containsExactly("kept-1", "kept-2", "after");
  }

  @Test
  void corruptRecordFollowedByValidOnesFailsOpenNamingFileAndOffset() throws Exception {
    FileDocumentStore store = open();
    for (String id : List.of("a", "b", "c")) {
      Await.result(store.insert("c", id, new JsonObject().put("value", "original")));
    }
    Await.result(store.close());
    opened.remove(store);
    Path journal = journal();
    List<String> lines = Files.readAllLines(journal);
    long secondOffset = lines.get(0).getBytes(StandardCharsets.UTF_8).length + 1;
    lines.set(1, lines.get(1).replace("original", "tampered"));
    Files.write(journal, lines);
    long size = Files.size(journal);

    for (int attempt = 0; attempt < 2; attempt++) {
      Throwable failure = Await.cause(FileDocumentStore.open(vertx, dataDir));
      assertThat(failure).isInstanceOfSatisfying(Codex32Exception.class, e -> assertThat(e.code()).isEqualTo("store_corrupted"))
          .hasMessageContaining(journal.toAbsolutePath().toString())
          .hasMessageContaining("byte offset " + secondOffset);
    }
    assertThat(Files.size(journal)).as("nothing dropped").isEqualTo(size);
  }

  // ---- compaction ----

  @Test
  void compactionShrinksTheJournalAndKeepsDocumentsRevisionsAndOrder() throws Exception {
    FileDocumentStore store = open(new FileDocumentStore.Options(10));
    for (String id : List.of("a", "b", "c", "d")) {
      Await.result(store.insert("c", id, new JsonObject().put("id", id)));
    }
    for (int i = 0; i < 200; i++) {
      Await.result(store.update("c", "b", new JsonObject().put("i", i), -1));
    }
    Await.result(store.delete("c", "c"));
    Await.result(store.insert("c", "c", new JsonObject().put("again", true)));
    Await.result(store.close());
    opened.remove(store);

    // 206 writes went in; compaction keeps the journal within 2 x 4 live documents + 10.
    assertThat(Files.readAllLines(journal())).hasSizeLessThanOrEqualTo(2 * 4 + 10);
    FileDocumentStore reopened = open();
    assertThat(Await.result(reopened.list("c"))).extracting(Document::id).containsExactly("a", "b", "d", "c");
    assertThat(Await.result(reopened.get("c", "b"))).isEqualTo(new Document("b", 201, new JsonObject().put("i", 199)));
    assertThat(Await.result(reopened.get("c", "a")).revision()).isEqualTo(1);
  }

  @Test
  void leftoverTmpFromInterruptedCompactionIsDeletedAndIgnored() throws Exception {
    FileDocumentStore store = open();
    Await.result(store.insert("c", "a", new JsonObject().put("v", 1)));
    Await.result(store.close());
    opened.remove(store);
    Path tmp = journal().resolveSibling("journal.tmp");
    Files.writeString(tmp, "00000000 {\"op\":\"put\",\"c\":\"c\",\"id\":\"half-writ");

    FileDocumentStore reopened = open();

    assertThat(tmp).doesNotExist();
    assertThat(Await.result(reopened.list("c"))).containsExactly(new Document("a", 1, new JsonObject().put("v", 1)));
  }

  // ---- exclusive lock ----

  @Test
  void secondOpenerInSameProcessIsRefusedUntilFirstCloses() throws Exception {
    FileDocumentStore first = open();
    Await.result(first.insert("c", "a", new JsonObject()));

    Throwable refused = Await.cause(FileDocumentStore.open(vertx, dataDir));
    assertThat(refused).isInstanceOf(DataDirLockedException.class)
        .hasMessageContaining(dataDir.toAbsolutePath().toString())
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
    assertThat(Await.result(first.insert("c", "b", new JsonObject())).revision()).as("first opener unaffected").isEqualTo(1);

    Await.result(first.close());
    opened.remove(first);
    assertThat(Await.result(open().list("c"))).hasSize(2);
  }

  @Test
  void secondOpenerInAnotherProcessIsRefusedUntilFirstCloses() throws Exception {
    FileDocumentStore store = open();
    Path stderr = dataDir.resolve("probe.err");

    ProbeResult whileHeld = runLockProbe(stderr);
    assertThat(whileHeld.exitCode()).as(whileHeld.describe(stderr)).isEqualTo(LockProbeMain.EXIT_LOCKED);
    assertThat(whileHeld.output()).contains("LOCKED", dataDir.toAbsolutePath().toString(), "pid " + ProcessHandle.current().pid());

    Await.result(store.close());
    opened.remove(store);
    ProbeResult afterClose = runLockProbe(stderr);
    assertThat(afterClose.exitCode()).as(afterClose.describe(stderr)).isZero();
    assertThat(afterClose.output()).contains("OPENED");
  }

  // ---- crash safety ----

  @Test
  void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acknowledged = new HashSet<>();
    Path stderr = dataDir.resolve("writer.err");

    for (int round = 0; round < 5; round++) {
      Process child = ChildJvm.start(AckingWriterMain.class, stderr, dataDir.toString(), "r" + round);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int killAfter = 50 + random.nextInt(150);
        int acksThisRound = 0;
        String line;
        while ((line = out.readLine()) != null) {
          assertThat(line).as("child output (seed %d)", seed).doesNotStartWith("FAIL");
          if (line.startsWith("ACK ")) {
            acknowledged.add(line.substring(4));
            if (++acksThisRound == killAfter) {
              // SIGKILL via the handle: Process.destroyForcibly() would also close our end of the pipe,
              // losing acknowledgements printed just before the kill.
              child.toHandle().destroyForcibly();
            }
          }
        }
        // Lines read after the kill were printed before it: those writes were acknowledged too.
        assertThat(acksThisRound).as("acks in round %d; child stderr: %s", round, Files.readString(stderr))
            .isGreaterThanOrEqualTo(killAfter);
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    }

    Set<String> stored = Await.result(open().list(AckingWriterMain.COLLECTION)).stream().map(Document::id).collect(Collectors.toSet());
    assertThat(stored).as("seed %d", seed).containsAll(acknowledged);
  }

  // ---- helpers ----

  private FileDocumentStore open() {
    return open(FileDocumentStore.Options.DEFAULTS);
  }

  private FileDocumentStore open(FileDocumentStore.Options options) {
    FileDocumentStore store = Await.result(FileDocumentStore.open(vertx, dataDir, options));
    opened.add(store);
    return store;
  }

  private Path journal() {
    return dataDir.resolve(FileDocumentStore.STORE_DIR).resolve(FileDocumentStore.JOURNAL_FILE);
  }

  private static byte[] tailBytes(String kind, Path journal) throws IOException {
    String json = "{\"op\":\"put\",\"c\":\"c\",\"id\":\"lost\",\"rev\":1,\"doc\":{}}";
    switch (kind) {
      case "half-record":
        List<String> lines = Files.readAllLines(journal);
        String last = lines.get(lines.size() - 1);
        return last.substring(0, last.length() / 2).getBytes(StandardCharsets.UTF_8);
      case "garbage-without-newline":
        return new byte[] {0, 0, 0, 0, 'x', (byte) 0xff};
      case "bad-checksum":
        return ("deadbeef " + json + "\n").getBytes(StandardCharsets.UTF_8);
      case "bad-json":
        String notJson = "{\"op\":\"put\",\"c\":";
        return (checksum(notJson) + " " + notJson + "\n").getBytes(StandardCharsets.UTF_8);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  static String checksum(String json) {
    CRC32C crc = new CRC32C();
    crc.update(json.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  private static List<ILoggingEvent> captureWarnings(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(JournalReader.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      action.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).collect(Collectors.toList());
  }

  private record ProbeResult(int exitCode, String output) {
    String describe(Path stderr) {
      try {
        return "probe output: " + output + "; stderr: " + Files.readString(stderr);
      } catch (IOException e) {
        return "probe output: " + output;
      }
    }
  }

  private ProbeResult runLockProbe(Path stderr) throws Exception {
    Process probe = ChildJvm.start(LockProbeMain.class, stderr, dataDir.toString());
    try {
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(probe.waitFor(20, TimeUnit.SECONDS)).isTrue();
      return new ProbeResult(probe.exitValue(), output);
    } finally {
      probe.destroyForcibly();
    }
  }

  private static void assertFailure(Future<?> future, int status, String code) {
    Codex32Exception e = Await.failure(future);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
  }
}
