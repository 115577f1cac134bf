package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.vertx.core.Future;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The contract on a data directory, and what only the journal does: torn records, compaction, the lock, kill -9. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileDocumentStoreTest extends DocumentStoreContract {

  @TempDir
  Path dataDir;

  @Override
  protected Future<FileDocumentStore> openStore() {
    return FileDocumentStore.open(vertx, dataDir);
  }

  // ---- concurrency ----

  @Test
  void manyConcurrentWritesAreAllDurableAndShareFsyncs() throws Exception {
    FileDocumentStore store = openFile();
    int total = insertConcurrently(store, 4, 250);
    // Group commit: one fsync per write would be `total`; waiting writes share the next one.
    assertThat(store.journalSyncs()).isLessThanOrEqualTo(total / 2);
    close(store);

    List<Document> reopened = Await.result(open().list("metrics"));
    assertThat(reopened).hasSize(total);
  }

  // ---- restart ----

  @ParameterizedTest(name = "tail: {0}")
  @ValueSource(strings = {"half-record", "garbage-without-newline", "bad-checksum", "bad-json"})
  void tornLastRecordIsDroppedWithWarningAndStoreKeepsWorking(String tail) throws Exception {
    DocumentStore store = open();
    Await.result(store.insert("c", "kept-1", new JsonObject().put("v", 1)));
    Await.result(store.insert("c", "kept-2", new JsonObject().put("v", 2)));
    close(store);
    Path journal = journal();
    long goodLength = Files.size(journal);
    Files.write(journal, tailBytes(tail, journal), StandardOpenOption.APPEND);

    List<DocumentStore> reopenedHolder = new ArrayList<>();
    List<ILoggingEvent> warnings = captureWarnings(() -> reopenedHolder.add(open()));
    DocumentStore reopened = reopenedHolder.get(0);

    assertThat(warnings).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains(journal.toAbsolutePath().toString(), "byte offset " + goodLength);
    assertThat(Files.size(journal)).as("truncated to the last good record").isEqualTo(goodLength);
    assertThat(Await.result(reopened.list("c"))).extracting(Document::id).containsExactly("kept-1", "kept-2");
    Await.result(reopened.insert("c", "after", new JsonObject()));
    close(reopened);

    List<ILoggingEvent> laterWarnings = captureWarnings(() -> reopenedHolder.add(open()));
    assertThat(laterWarnings).isEmpty();
    assertThat(Await.result(reopenedHolder.get(1).list("c"))).extracting(Document::id).containsExactly("kept-1", "kept-2", "after");
  }

  @Test
  void corruptRecordFollowedByValidOnesFailsOpenNamingFileAndOffset() throws Exception {
    DocumentStore store = open();
    for (String id : List.of("a", "b", "c")) {
      Await.result(store.insert("c", id, new JsonObject().put("value", "original")));
    }
    close(store);
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
    FileDocumentStore store = openFile(new FileDocumentStore.Options(10));
    for (String id : List.of("a", "b", "c", "d")) {
      Await.result(store.insert("c", id, new JsonObject().put("id", id)));
    }
    for (int i = 0; i < 200; i++) {
      Await.result(store.update("c", "b", new JsonObject().put("i", i), -1));
    }
    Await.result(store.delete("c", "c"));
    Await.result(store.insert("c", "c", new JsonObject().put("again", true)));
    close(store);

    // 206 writes went in; compaction keeps the journal within 2 x 4 live documents + 10.
    assertThat(Files.readAllLines(journal())).hasSizeLessThanOrEqualTo(2 * 4 + 10);
    DocumentStore reopened = open();
    assertThat(Await.result(reopened.list("c"))).extracting(Document::id).containsExactly("a", "b", "d", "c");
    assertThat(Await.result(reopened.get("c", "b"))).isEqualTo(new Document("b", 201, new JsonObject().put("i", 199)));
    assertThat(Await.result(reopened.get("c", "a")).revision()).isEqualTo(1);
  }

  @Test
  void leftoverTmpFromInterruptedCompactionIsDeletedAndIgnored() throws Exception {
    DocumentStore store = open();
    Await.result(store.insert("c", "a", new JsonObject().put("v", 1)));
    close(store);
    Path tmp = journal().resolveSibling("journal.tmp");
    Files.writeString(tmp, "00000000 {\"op\":\"put\",\"c\":\"c\",\"id\":\"half-writ");

    DocumentStore reopened = open();

    assertThat(tmp).doesNotExist();
    assertThat(Await.result(reopened.list("c"))).containsExactly(new Document("a", 1, new JsonObject().put("v", 1)));
  }

  // ---- exclusive lock ----

  @Test
  void secondOpenerInSameProcessIsRefusedUntilFirstCloses() throws Exception {
    DocumentStore first = open();
    Await.result(first.insert("c", "a", new JsonObject()));

    Throwable refused = Await.cause(FileDocumentStore.open(vertx, dataDir));
    assertThat(refused).isInstanceOf(DataDirLockedException.class)
        .hasMessageContaining(dataDir.toAbsolutePath().toString())
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
    assertThat(Await.result(first.insert("c", "b", new JsonObject())).revision()).as("first opener unaffected").isEqualTo(1);

    close(first);
    assertThat(Await.result(open().list("c"))).hasSize(2);
  }

  @Test
  void secondOpenerInAnotherProcessIsRefusedUntilFirstCloses() throws Exception {
    DocumentStore store = open();
    Path stderr = dataDir.resolve("probe.err");

    ProbeResult whileHeld = runLockProbe(stderr);
    assertThat(whileHeld.exitCode()).as(whileHeld.describe(stderr)).isEqualTo(LockProbeMain.EXIT_LOCKED);
    assertThat(whileHeld.output()).contains("LOCKED", dataDir.toAbsolutePath().toString(), "pid " + ProcessHandle.current().pid());

    close(store);
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

  private FileDocumentStore openFile() {
    return openFile(FileDocumentStore.Options.DEFAULTS);
  }

  private FileDocumentStore openFile(FileDocumentStore.Options options) {
    return track(Await.result(FileDocumentStore.open(vertx, dataDir, options)));
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
}
