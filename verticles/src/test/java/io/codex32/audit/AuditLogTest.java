package io.codex32.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.store.FileDocumentStore;
import io.codex32.test.Await;
import io.codex32.test.EventLoops;
import io.codex32.test.MutableClock;
import io.codex32.test.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuditLogTest {

  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private FileDocumentStore store;
  private final MutableClock clock = MutableClock.stepping(START, Duration.ofMinutes(1));

  @BeforeEach
  void openStore() throws Exception {
    vertx = TestVertx.create();
    store = Await.result(FileDocumentStore.open(vertx, dataDir));
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      Await.result(store.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void firstRecordCarriesEveryFieldAndLinksToTheZeroHash() throws Exception {
    AuditLog log = new AuditLog(store, clock);

    JsonObject record = Await.result(log.record(new AuditEntry("alice", "bot.start", "bots/b1", "success", "10.0.0.7", "req-1")));

    assertThat(record.fieldNames()).containsExactlyInAnyOrder(
        "seq", "time", "actor", "action", "target", "result", "source_ip", "request_id", "prev_hash", "hash");
    assertThat(record.getLong("seq")).isEqualTo(1);
    assertThat(record.getString("time")).isEqualTo(START.toString());
    assertThat(record.getString("source_ip")).isEqualTo("10.0.0.7");
    assertThat(record.getString("request_id")).isEqualTo("req-1");
    assertThat(record.getString("prev_hash")).isEqualTo("0".repeat(64));
    // The documented canonical form, recomputed independently of the implementation.
    String canonical = "codex32-audit-v1\nseq=1\ntime=20:2025-01-01T00:00:00Z\nactor=5:alice\naction=9:bot.start\n"
        + "target=7:bots/b1\nresult=7:success\nsource_ip=8:10.0.0.7\nrequest_id=5:req-1\nprev_hash=64:" + "0".repeat(64) + "\n";
    assertThat(record.getString("hash")).isEqualTo(sha256(canonical));
    assertThat(Await.result(store.get("audit", "00000000000000000001")).body()).isEqualTo(record);
  }

  @Test
  void nullFieldsAreHashedDistinctlyFromEmptyOnes() throws Exception {
    AuditLog log = new AuditLog(store, Clock.fixed(START, ZoneOffset.UTC));

    JsonObject withNull = Await.result(log.record(new AuditEntry("system", "startup", null, "success", null, null)));
    JsonObject withEmpty = Await.result(log.record(new AuditEntry("system", "startup", "", "success", null, null)));

    String prefix = "codex32-audit-v1\nseq=1\ntime=20:2025-01-01T00:00:00Z\nactor=6:system\naction=7:startup\n";
    assertThat(withNull.getString("hash")).isEqualTo(sha256(prefix
        + "target=-\nresult=7:success\nsource_ip=-\nrequest_id=-\nprev_hash=64:" + "0".repeat(64) + "\n"));
    assertThat(withEmpty.getString("prev_hash")).isEqualTo(withNull.getString("hash"));
    assertThat(Await.result(log.verify()).getBoolean("intact")).isTrue();
  }

  @Test
  void detailsAreHashedAsOneMoreLineAndAlteringThemBreaksTheChain() throws Exception {
    AuditLog log = new AuditLog(store, Clock.fixed(START, ZoneOffset.UTC));
    String details = "node=local pin=relay old=low new=high";

    JsonObject record = Await.result(log.record(new AuditEntry("alice", "setNodeGpio", "local", "success", null, null, details)));
    Await.result(log.record(entry("alice", "login", "success")));

    assertThat(record.getString("details")).isEqualTo(details);
    assertThat(record.getString("hash")).isEqualTo(sha256("codex32-audit-v1\nseq=1\ntime=20:2025-01-01T00:00:00Z\nactor=5:alice\n"
        + "action=11:setNodeGpio\ntarget=5:local\nresult=7:success\nsource_ip=-\nrequest_id=-\nprev_hash=64:" + "0".repeat(64)
        + "\ndetails=37:" + details + "\n"));
    assertThat(Await.result(log.verify()).getBoolean("intact")).isTrue();

    reopenStore(lines -> rewriteRecord(lines, 1, doc -> doc.put("details", "node=local pin=relay old=low new=low")));
    JsonObject verification = Await.result(new AuditLog(store, clock).verify());
    assertThat(verification.getBoolean("intact")).isFalse();
    assertThat(verification.getLong("first_broken_seq")).isEqualTo(1);
  }

  @Test
  void channelIsHashedAfterDetailsAndAlteringItBreaksTheChain() throws Exception {
    AuditLog log = new AuditLog(store, Clock.fixed(START, ZoneOffset.UTC));

    JsonObject record = Await.result(log.record(new AuditEntry("alice", "startBot", "pump", "success", null, null, null, "voice")));

    assertThat(record.getString("channel")).isEqualTo("voice");
    assertThat(record.containsKey("details")).isFalse();
    assertThat(record.getString("hash")).isEqualTo(sha256("codex32-audit-v1\nseq=1\ntime=20:2025-01-01T00:00:00Z\nactor=5:alice\n"
        + "action=8:startBot\ntarget=4:pump\nresult=7:success\nsource_ip=-\nrequest_id=-\nprev_hash=64:" + "0".repeat(64)
        + "\nchannel=5:voice\n"));

    reopenStore(lines -> rewriteRecord(lines, 1, doc -> doc.put("channel", "chat")));
    assertThat(Await.result(new AuditLog(store, clock).verify()).getBoolean("intact")).isFalse();
  }

  @Test
  void concurrentAppendsFromSeveralEventLoopsFormOneUnbrokenChain() throws Exception {
    AuditLog log = new AuditLog(store, clock);
    List<Context> loops = EventLoops.deploy(vertx, 4);
    int perLoop = 25;

    List<Future<JsonObject>> appends = new CopyOnWriteArrayList<>();
    List<Future<Void>> submitted = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      int loop = l;
      submitted.add(EventLoops.onContext(loops.get(l), () -> {
        for (int i = 0; i < perLoop; i++) {
          AuditEntry entry = entry("user" + loop, "action" + i, "success");
          appends.add(EventLoops.onContext(loops.get(loop), () -> log.record(entry)));
        }
        return Future.succeededFuture();
      }));
    }
    Await.result(Future.all(submitted));
    Await.result(Future.all(appends));

    int total = loops.size() * perLoop;
    assertThat(appends.stream().map(f -> f.result().getLong("seq")).sorted())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList()));
    JsonObject verification = Await.result(EventLoops.onContext(loops.get(0), log::verify));
    assertThat(verification).isEqualTo(new JsonObject()
        .put("intact", true).put("records", total).putNull("first_broken_seq").putNull("reason"));
  }

  @Test
  void chainContinuesAcrossRestartsWithANewAuditLog() throws Exception {
    AuditLog before = new AuditLog(store, clock);
    for (int i = 0; i < 3; i++) {
      Await.result(before.record(entry("alice", "login", "success")));
    }
    reopenStore(lines -> lines);

    JsonObject fourth = Await.result(new AuditLog(store, clock).record(entry("bob", "login", "success")));

    assertThat(fourth.getLong("seq")).isEqualTo(4);
    assertThat(Await.result(new AuditLog(store, clock).verify()).getBoolean("intact")).isTrue();
  }

  @Test
  void recordAlteredOnDiskIsReportedWithItsSeq() throws Exception {
    appendFive();

    reopenStore(lines -> rewriteRecord(lines, 3, doc -> doc.put("actor", "mallory")));

    assertThat(Await.result(new AuditLog(store, clock).verify())).isEqualTo(new JsonObject()
        .put("intact", false).put("records", 5).put("first_broken_seq", 3)
        .put("reason", "content of record 3 does not match its hash"));
  }

  @Test
  void alteredRecordWithRecomputedHashBreaksTheLinkToTheNextRecord() throws Exception {
    appendFive();

    reopenStore(lines -> rewriteRecord(lines, 3, doc -> {
      doc.put("result", "denied");
      return doc.put("hash", sha256Of(doc));
    }));

    JsonObject verification = Await.result(new AuditLog(store, clock).verify());
    assertThat(verification.getBoolean("intact")).isFalse();
    assertThat(verification.getLong("first_broken_seq")).isEqualTo(4);
    assertThat(verification.getString("reason")).contains("prev_hash");
  }

  @Test
  void recordDeletedOnDiskIsReportedWithItsSeq() throws Exception {
    appendFive();

    reopenStore(lines -> lines.stream().filter(line -> !line.contains("\"id\":\"" + id(3) + "\"")).collect(Collectors.toList()));

    JsonObject verification = Await.result(new AuditLog(store, clock).verify());
    assertThat(verification.getBoolean("intact")).isFalse();
    assertThat(verification.getInteger("records")).isEqualTo(4);
    assertThat(verification.getLong("first_broken_seq")).isEqualTo(3);
    assertThat(verification.getString("reason")).isEqualTo("record 3 is missing (next record is 4)");
  }

  @Test
  void listFiltersNewestFirstAndPaginates() throws Exception {
    AuditLog log = new AuditLog(store, clock);
    // One record per minute from START: seq n has time START + (n - 1) minutes.
    for (int i = 1; i <= 10; i++) {
      Await.result(log.record(entry(i % 2 == 0 ? "alice" : "bob", i <= 5 ? "login" : "bot.stop", i == 7 ? "denied" : "success")));
    }

    JsonObject alice = Await.result(log.list(query("alice", null, null, null, null, 0, 2)));
    assertThat(alice.getInteger("total")).isEqualTo(5);
    assertThat(alice.getInteger("offset")).isZero();
    assertThat(alice.getInteger("limit")).isEqualTo(2);
    assertThat(seqs(alice)).containsExactly(10L, 8L);
    assertThat(seqs(Await.result(log.list(query("alice", null, null, null, null, 2, 2))))).containsExactly(6L, 4L);
    assertThat(seqs(Await.result(log.list(query("alice", null, null, null, null, 4, 2))))).containsExactly(2L);
    assertThat(seqs(Await.result(log.list(query("alice", null, null, null, null, 10, 2))))).isEmpty();

    assertThat(seqs(Await.result(log.list(query(null, "bot.stop", "denied", null, null, 0, 0))))).containsExactly(7L);
    Instant since = START.plus(Duration.ofMinutes(2));
    JsonObject window = Await.result(log.list(query(null, null, null, since, since.plus(Duration.ofMinutes(3)), 0, 0)));
    assertThat(seqs(window)).as("since inclusive, until exclusive").containsExactly(5L, 4L, 3L);
    assertThat(window.getInteger("limit")).isEqualTo(AuditLog.DEFAULT_LIMIT);
    assertThat(Await.result(log.list(query(null, null, null, null, null, 0, 1_000_000))).getInteger("limit")).isEqualTo(AuditLog.MAX_LIMIT);
    assertThat(seqs(Await.result(log.list(query("carol", null, null, null, null, 0, 10))))).isEmpty();
  }

  // ---- helpers ----

  private void appendFive() throws Exception {
    AuditLog log = new AuditLog(store, clock);
    for (int i = 0; i < 5; i++) {
      Await.result(log.record(entry("alice", "spec.update", "success")));
    }
    assertThat(Await.result(log.verify()).getBoolean("intact")).isTrue();
  }

  /** Closes the store, edits the journal lines directly on disk, and reopens. */
  private void reopenStore(Function<List<String>, List<String>> edit) throws Exception {
    Await.result(store.close());
    store = null;
    // The file store's layout: <data>/store/journal, one "<crc32c hex> <json>" line per record.
    Path journal = dataDir.resolve("store").resolve("journal");
    Files.write(journal, edit.apply(Files.readAllLines(journal)));
    store = Await.result(FileDocumentStore.open(vertx, dataDir));
  }

  /** Replaces the body of audit record {@code seq} and re-checksums the line, so the store itself accepts it. */
  private static List<String> rewriteRecord(List<String> lines, long seq, Function<JsonObject, JsonObject> change) {
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      JsonObject json = new JsonObject(line.substring(line.indexOf(' ') + 1));
      if (json.getString("c").equals("audit") && json.getString("id").equals(id(seq))) {
        json.put("doc", change.apply(json.getJsonObject("doc")));
        String encoded = json.encode();
        CRC32C crc = new CRC32C();
        crc.update(encoded.getBytes(StandardCharsets.UTF_8));
        line = String.format("%08x", crc.getValue()) + " " + encoded;
      }
      result.add(line);
    }
    return result;
  }

  private static String id(long seq) {
    return String.format("%020d", seq);
  }

  /** An attacker who knows the format can recompute one record's hash; the next record still links to the old one. */
  private static String sha256Of(JsonObject record) {
    StringBuilder canonical = new StringBuilder("codex32-audit-v1\nseq=").append(record.getLong("seq")).append('\n');
    for (String field : List.of("time", "actor", "action", "target", "result", "source_ip", "request_id", "prev_hash")) {
      String value = record.getString(field);
      canonical.append(field).append('=')
          .append(value == null ? "-" : value.getBytes(StandardCharsets.UTF_8).length + ":" + value).append('\n');
    }
    return sha256(canonical.toString());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static AuditEntry entry(String actor, String action, String result) {
    return new AuditEntry(actor, action, "bots/b1", result, "127.0.0.1", "req");
  }

  private static AuditQuery query(String actor, String action, String result, Instant since, Instant until, int offset, int limit) {
    return new AuditQuery(actor, action, null, result, since, until, offset, limit);
  }

  private static List<Long> seqs(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("seq")).collect(Collectors.toList());
  }
}
