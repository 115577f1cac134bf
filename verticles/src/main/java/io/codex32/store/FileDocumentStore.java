package io.codex32.store;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: an append-only journal of checksummed records in
 * {@code <data>/store/journal}, fsynced before a write is acknowledged, compacted by writing a new
 * file and renaming it atomically over the old one. An exclusive lock ({@code <data>/store/LOCK})
 * keeps a second process out of the same data directory. A torn last record (crash mid-write) is
 * dropped with a warning; a damaged record followed by good ones makes {@link #open} fail.
 *
 * <p>Threading: one dedicated writer thread drains a queue of pending writes. Everything that
 * queued up while it was syncing is validated, appended and synced as one batch (group commit),
 * then applied to the in-memory index and acknowledged on each caller's context. Because only
 * that thread decides and mutates, conflicts are decided consistently without locks held across
 * I/O; reads are answered from the index on the caller's thread and never touch the disk.
 */
public final class FileDocumentStore implements DocumentStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileDocumentStore.class);

  static final String STORE_DIR = "store";
  static final String JOURNAL_FILE = "journal";
  static final String LOCK_FILE = "LOCK";

  /** Upper bound of one group commit, so one batch's buffer stays small. */
  private static final int MAX_BATCH = 4096;
  /** Compaction starts when the journal holds more than this many records per live document (plus the slack). */
  private static final int COMPACTION_FACTOR = 2;

  /**
   * Tuning knobs.
   *
   * @param compactionSlack the journal is compacted once it holds more than {@code 2 × live documents + compactionSlack}
   *     records; small values compact often (tests), large ones trade disk for fewer rewrites
   */
  public record Options(long compactionSlack) {

    public static final long DEFAULT_COMPACTION_SLACK = 1000;
    public static final Options DEFAULTS = new Options(DEFAULT_COMPACTION_SLACK);

    public Options {
      if (compactionSlack < 0) {
        throw new IllegalArgumentException("compactionSlack must be >= 0, was " + compactionSlack);
      }
    }
  }

  private final Vertx vertx;
  private final Path journalFile;
  private final Options options;
  private final DataDirLock lock;
  private final DocumentIndex index;
  private final JournalWriter journal;
  private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  /** Makes "not closed, so enqueue" atomic with close(), so nothing is queued behind the close marker. */
  private final Object submitLock = new Object();
  private Future<Void> closing;
  /** Set by the writer thread on an I/O failure; from then on writes are refused. */
  private volatile Throwable ioFailure;
  /** Writer thread only: extra records to tolerate after a failed compaction before trying again. */
  private long compactionBackoff;

  private FileDocumentStore(Vertx vertx, Path journalFile, Options options, DataDirLock lock, DocumentIndex index,
      JournalWriter journal) {
    this.vertx = vertx;
    this.journalFile = journalFile;
    this.options = options;
    this.lock = lock;
    this.index = index;
    this.journal = journal;
  }

  /** Opens (or creates) the store; fails with {@link DataDirLockedException} if another process holds it. */
  public static Future<FileDocumentStore> open(Vertx vertx, Path dataDir) {
    return open(vertx, dataDir, Options.DEFAULTS);
  }

  /** {@link #open(Vertx, Path)} with explicit tuning. */
  public static Future<FileDocumentStore> open(Vertx vertx, Path dataDir, Options options) {
    Objects.requireNonNull(options, "options");
    return vertx.executeBlocking(() -> openBlocking(vertx, dataDir, options));
  }

  private static FileDocumentStore openBlocking(Vertx vertx, Path dataDir, Options options) {
    Path dir = dataDir.resolve(STORE_DIR);
    Path journalFile = dir.resolve(JOURNAL_FILE);
    try {
      Files.createDirectories(dir);
      DataDirLock lock = DataDirLock.acquire(dataDir, dir.resolve(LOCK_FILE));
      try {
        // A crash during compaction leaves the old journal complete; the half-written copy is useless.
        if (Files.deleteIfExists(JournalWriter.tmpFile(journalFile))) {
          LOG.warn("Deleted {} left behind by an interrupted compaction; {} is complete", JournalWriter.tmpFile(journalFile),
              journalFile);
        }
        DocumentIndex index = new DocumentIndex();
        JournalReader.Replay replay = JournalReader.replay(journalFile, index::apply);
        JournalWriter journal = JournalWriter.open(journalFile, replay.validLength(), replay.records());
        LOG.info("Opened store {}: {} documents from {} journal records", dir.toAbsolutePath(), index.size(), replay.records());
        FileDocumentStore store = new FileDocumentStore(vertx, journalFile, options, lock, index, journal);
        store.startWriter();
        return store;
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    } catch (IOException e) {
      throw Codex32Exception.unavailable("store_unavailable", "cannot open the store in " + dir.toAbsolutePath() + ": " + e, e);
    }
  }

  private void startWriter() {
    Thread writer = new Thread(this::runWriter, "codex32-store-writer");
    // Unacknowledged writes are all a JVM exit can lose, so the thread must not keep the JVM alive.
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public Future<Document> get(String collection, String id) {
    if (isClosed()) {
      return Future.failedFuture(closedException());
    }
    Document doc = index.get(collection, id);
    return Future.succeededFuture(doc == null ? null : copy(doc));
  }

  @Override
  public Future<List<Document>> list(String collection) {
    if (isClosed()) {
      return Future.failedFuture(closedException());
    }
    List<Document> docs = index.list(collection);
    docs.replaceAll(FileDocumentStore::copy);
    return Future.succeededFuture(docs);
  }

  @Override
  public Future<Document> insert(String collection, String id, JsonObject body) {
    return submit(PendingWrite.Kind.INSERT, collection, id, body.copy(), -1);
  }

  @Override
  public Future<Document> update(String collection, String id, JsonObject body, long expectedRevision) {
    return submit(PendingWrite.Kind.UPDATE, collection, id, body.copy(), expectedRevision);
  }

  @Override
  public Future<Document> upsert(String collection, String id, JsonObject body) {
    return submit(PendingWrite.Kind.UPSERT, collection, id, body.copy(), -1);
  }

  @Override
  public Future<Boolean> delete(String collection, String id) {
    return submit(PendingWrite.Kind.DELETE, collection, id, null, -1).map(Objects::nonNull);
  }

  @Override
  public Future<List<String>> collections() {
    if (isClosed()) {
      return Future.failedFuture(closedException());
    }
    return Future.succeededFuture(index.collections());
  }

  /** Queued like other writes: each document is checked and written on its own, so an existing id fails only itself. */
  @Override
  public Future<Void> restore(List<StoredDocument> documents) {
    List<Future<Document>> writes = new ArrayList<>(documents.size());
    for (StoredDocument stored : documents) {
      Document doc = stored.document();
      if (doc.revision() < 1) {
        return Future.failedFuture(Codex32Exception.badRequest("invalid_document",
            stored.collection() + " '" + doc.id() + "' has revision " + doc.revision() + "; revisions start at 1"));
      }
    }
    for (StoredDocument stored : documents) {
      Document doc = stored.document();
      writes.add(submit(PendingWrite.Kind.RESTORE, stored.collection(), doc.id(), doc.body().copy(), doc.revision()));
    }
    // join, not all: the outcome is reported once every write is decided, not at the first failure
    return Future.join(writes).mapEmpty();
  }

  /** Acknowledges once every write queued before it is durable, then releases the journal and the lock. */
  @Override
  public Future<Void> close() {
    synchronized (submitLock) {
      if (closing == null) {
        PendingWrite marker = PendingWrite.close(vertx.getOrCreateContext());
        queue.add(marker);
        closing = marker.future().mapEmpty();
      }
      return closing;
    }
  }

  private Future<Document> submit(PendingWrite.Kind kind, String collection, String id, JsonObject body, long expectedRevision) {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(id, "id");
    PendingWrite write = new PendingWrite(kind, collection, id, body, expectedRevision, vertx.getOrCreateContext());
    synchronized (submitLock) {
      if (closing != null) {
        return Future.failedFuture(closedException());
      }
      if (ioFailure != null) {
        return Future.failedFuture(unavailable());
      }
      queue.add(write);
    }
    return write.future();
  }

  private boolean isClosed() {
    synchronized (submitLock) {
      return closing != null;
    }
  }

  // ---- writer thread ----

  private void runWriter() {
    List<PendingWrite> batch = new ArrayList<>();
    while (true) {
      batch.clear();
      batch.add(takeUninterruptibly());
      // Whatever queued up during the previous fsync goes into this one: that is the group commit.
      queue.drainTo(batch, MAX_BATCH - 1);
      PendingWrite last = batch.get(batch.size() - 1);
      boolean closeRequested = last.kind == PendingWrite.Kind.CLOSE;
      if (closeRequested) {
        batch.remove(batch.size() - 1);
      }
      if (!batch.isEmpty()) {
        commit(batch);
        maybeCompact();
      }
      if (closeRequested) {
        shutdown(last);
        return;
      }
    }
  }

  private PendingWrite takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException ignored) {
        // Nobody owns this thread but the store: it stops through the close marker only.
      }
    }
  }

  private void commit(List<PendingWrite> writes) {
    List<JournalRecord> records = new ArrayList<>(writes.size());
    List<byte[]> lines = new ArrayList<>(writes.size());
    try {
      if (ioFailure != null) {
        throw new IOException("journal unusable after an earlier failure");
      }
      // Later writes of the batch must see earlier ones, which are not in the index until synced.
      Map<String, Document> batchState = new HashMap<>();
      for (PendingWrite write : writes) {
        String key = write.collection + '\u0000' + write.id;
        Document current = batchState.containsKey(key) ? batchState.get(key) : index.get(write.collection, write.id);
        JournalRecord record = decide(write, current);
        byte[] line = record == null ? null : encode(write, record);
        if (line != null) {
          lines.add(line);
          records.add(record);
          Document after = record.op() == JournalRecord.Op.PUT ? new Document(write.id, record.revision(), record.doc()) : null;
          batchState.put(key, after);
          write.succeed(after != null ? after : current);
        }
      }
      if (!records.isEmpty()) {
        journal.append(lines);
        index.applyAll(records);
      }
    } catch (IOException | RuntimeException e) {
      markFailed(e);
      Codex32Exception failure = unavailable();
      writes.forEach(write -> write.fail(failure));
    }
    writes.forEach(PendingWrite::complete);
  }

  /** Validates one write against the current state; returns its record, or null if nothing is to be written. */
  private static JournalRecord decide(PendingWrite write, Document current) {
    String what = write.collection + " '" + write.id + "'";
    switch (write.kind) {
      case INSERT:
        if (current != null) {
          write.fail(Codex32Exception.conflict("already_exists", what + " already exists"));
          return null;
        }
        return JournalRecord.put(write.collection, write.id, 1, write.body);
      case UPDATE:
        if (current == null) {
          write.fail(Codex32Exception.notFound(what + " not found"));
          return null;
        }
        if (write.expectedRevision >= 0 && current.revision() != write.expectedRevision) {
          write.fail(Codex32Exception.conflict("revision_conflict",
              what + " is at revision " + current.revision() + ", not " + write.expectedRevision));
          return null;
        }
        return JournalRecord.put(write.collection, write.id, current.revision() + 1, write.body);
      case UPSERT:
        return JournalRecord.put(write.collection, write.id, current == null ? 1 : current.revision() + 1, write.body);
      case DELETE:
        return current == null ? null : JournalRecord.delete(write.collection, write.id, current.revision());
      case RESTORE:
        if (current != null) {
          write.fail(Codex32Exception.conflict("already_exists", what + " already exists"));
          return null;
        }
        return JournalRecord.put(write.collection, write.id, write.expectedRevision, write.body);
      default:
        throw new IllegalStateException("not a write: " + write.kind);
    }
  }

  /** A body that cannot be serialised fails its own write only, not the batch. */
  private static byte[] encode(PendingWrite write, JournalRecord record) {
    try {
      return record.encode();
    } catch (RuntimeException e) {
      write.fail(Codex32Exception.badRequest("invalid_document", "cannot serialise " + write.collection + " '" + write.id
          + "': " + e.getMessage()));
      return null;
    }
  }

  private void maybeCompact() {
    long threshold = COMPACTION_FACTOR * index.size() + options.compactionSlack() + compactionBackoff;
    if (ioFailure != null || journal.records() <= threshold) {
      return;
    }
    long before = journal.records();
    try {
      List<byte[]> lines = new ArrayList<>();
      index.snapshot().forEach(record -> lines.add(record.encode()));
      journal.compact(lines);
      compactionBackoff = 0;
      LOG.info("Compacted {}: {} records rewritten as {}", journalFile.toAbsolutePath(), before, lines.size());
    } catch (IOException | RuntimeException e) {
      if (journal.isUsable()) {
        compactionBackoff = before;
        LOG.warn("Compaction of {} failed; the journal is intact and keeps growing until the next attempt",
            journalFile.toAbsolutePath(), e);
      } else {
        markFailed(e);
      }
    }
  }

  private void markFailed(Throwable cause) {
    if (ioFailure == null) {
      LOG.error("Store {} refuses further writes after an I/O failure; restart once the cause is fixed",
          journalFile.toAbsolutePath(), cause);
      ioFailure = cause;
    }
  }

  private void shutdown(PendingWrite marker) {
    try {
      journal.close();
    } catch (IOException e) {
      LOG.warn("Closing {} failed", journalFile.toAbsolutePath(), e);
    }
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warn("Releasing the lock of {} failed", journalFile.getParent().toAbsolutePath(), e);
    }
    marker.complete();
  }

  /** How many fsyncs acknowledged writes so far: far fewer than writes under concurrency (group commit). */
  long journalSyncs() {
    return journal.syncs();
  }

  // ---- helpers ----

  private Codex32Exception unavailable() {
    Throwable cause = ioFailure;
    return Codex32Exception.unavailable("store_unavailable", "store " + journalFile.getParent().toAbsolutePath()
        + " refuses writes after an I/O failure: " + (cause == null ? "unknown" : cause.getMessage()), cause);
  }

  private Codex32Exception closedException() {
    return Codex32Exception.unavailable("store_unavailable", "store " + journalFile.getParent().toAbsolutePath() + " is closed",
        null);
  }

  private static Document copy(Document doc) {
    return new Document(doc.id(), doc.revision(), doc.body().copy());
  }
}
