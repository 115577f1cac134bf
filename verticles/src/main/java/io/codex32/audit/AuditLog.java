package io.codex32.audit;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The tamper-evident audit trail: each record carries a sequence number and the SHA-256 of its
 * content chained to the previous record's hash, so altering or removing any record breaks
 * verification. Safe to call from many event loops at once: appends are serialised.
 *
 * <p>Records live in the store collection {@value #COLLECTION}, one document per record, under
 * the id {@code %020d} of their sequence number (so ids sort like sequence numbers). Fields:
 * {@code seq, time, actor, action, target, result, source_ip, request_id, prev_hash, hash}, and
 * {@code details} and {@code channel} when the entry has them. The
 * first record's {@code prev_hash} is 64 zeros. {@code hash} is the lowercase hex SHA-256 of the
 * UTF-8 bytes of this canonical text (one line per field, fixed order, {@code \n} after each):
 *
 * <pre>
 * codex32-audit-v1
 * seq=&lt;decimal&gt;
 * time=&lt;v&gt;
 * actor=&lt;v&gt;
 * action=&lt;v&gt;
 * target=&lt;v&gt;
 * result=&lt;v&gt;
 * source_ip=&lt;v&gt;
 * request_id=&lt;v&gt;
 * prev_hash=&lt;v&gt;
 * </pre>
 *
 * followed, only for a record that has {@code details}, by one more line {@code details=<v>}, and
 * then, only for a record that has {@code channel}, by {@code channel=<v>} (records without them
 * hash exactly as before these fields existed),
 * where {@code <v>} is {@code -} for null, otherwise the value's UTF-8 byte length, {@code :} and
 * the value. The length prefix keeps values with newlines or {@code =} unambiguous and null
 * distinct from the empty string. Tools outside Java can recompute it from this description.
 *
 * <p>What the chain cannot show on its own: removal of the newest records. {@link #verify()}
 * reports that only for records this instance appended; an external anchor (e.g. the head hash
 * shipped elsewhere periodically) would be needed to detect it across restarts.
 */
public final class AuditLog {

  public static final String COLLECTION = "audit";
  public static final String GENESIS_HASH = "0".repeat(64);
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  private static final String CANONICAL_VERSION = "codex32-audit-v1";
  private static final String DETAILS = "details";
  private static final String CHANNEL = "channel";
  private static final List<String> HASHED_TEXT_FIELDS =
      List.of("time", "actor", "action", "target", "result", "source_ip", "request_id", "prev_hash");
  /** Another writer on a shared store may take our sequence number; we reload the head and retry this often. */
  private static final int APPEND_ATTEMPTS = 3;

  private final DocumentStore store;
  private final Clock clock;
  private final Object appendLock = new Object();
  /** Completes when the latest append has finished (either way); the next append starts only then. */
  private Future<Void> lastAppend = Future.succeededFuture();
  /** Seq and hash of the newest record; null until read from the store, and again after a failed append. */
  private volatile Head head;

  private record Head(long seq, String hash) {
  }

  public AuditLog(DocumentStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Appends and returns the sealed record as JSON; durable when the future succeeds. */
  public Future<JsonObject> record(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Context caller = Vertx.currentContext();
    Future<JsonObject> appended;
    synchronized (appendLock) {
      appended = lastAppend.transform(previous -> append(entry, APPEND_ATTEMPTS));
      lastAppend = appended.<Void>mapEmpty().otherwiseEmpty();
    }
    // The chain runs on whichever context completed the previous append; hand the result back to ours.
    return onContext(caller, appended);
  }

  /**
   * {@code {"items":[...], "total":N, "offset":N, "limit":N}}, newest first. {@code since} is
   * inclusive, {@code until} exclusive; a non-positive limit means {@value #DEFAULT_LIMIT}, larger
   * ones are capped at {@value #MAX_LIMIT}, a negative offset counts as 0. The response carries the
   * effective offset and limit.
   */
  public Future<JsonObject> list(AuditQuery query) {
    int offset = Math.max(0, query.offset());
    int limit = query.limit() <= 0 ? DEFAULT_LIMIT : Math.min(query.limit(), MAX_LIMIT);
    return store.list(COLLECTION).map(docs -> {
      List<JsonObject> matching = docs.stream()
          .sorted(Comparator.comparing(Document::id).reversed())
          .map(Document::body)
          .filter(record -> matches(query, record))
          .collect(Collectors.toList());
      List<JsonObject> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
      return new JsonObject()
          .put("items", new JsonArray(List.copyOf(page)))
          .put("total", matching.size())
          .put("offset", offset)
          .put("limit", limit);
    });
  }

  /**
   * {@code {"intact":bool, "records":N, "first_broken_seq":N|null, "reason":...}}: walks every
   * record in sequence order, recomputing each hash and checking the links and that no sequence
   * number is missing. Hashing runs on a worker thread when called on a Vert.x context.
   */
  public Future<JsonObject> verify() {
    // Read before listing: every record up to this head is already in the store.
    Head known = head;
    Context caller = Vertx.currentContext();
    return store.list(COLLECTION).compose(docs -> caller == null
        ? Future.succeededFuture(walk(docs, known))
        : caller.executeBlocking(() -> walk(docs, known)));
  }

  // ---- appending ----

  private Future<JsonObject> append(AuditEntry entry, int attemptsLeft) {
    return currentHead().compose(previous -> {
      JsonObject record = seal(previous, entry);
      long seq = previous.seq() + 1;
      return store.insert(COLLECTION, id(seq), record)
          .map(doc -> {
            head = new Head(seq, record.getString("hash"));
            return doc.body();
          })
          .recover(failure -> {
            // The outcome may be unknown (e.g. store unavailable): re-read the head next time.
            head = null;
            return isAlreadyExists(failure) && attemptsLeft > 1 ? append(entry, attemptsLeft - 1) : Future.failedFuture(failure);
          });
    });
  }

  private Future<Head> currentHead() {
    Head current = head;
    if (current != null) {
      return Future.succeededFuture(current);
    }
    return store.list(COLLECTION).map(docs -> docs.stream()
        .filter(doc -> isSequenceId(doc.id()))
        .max(Comparator.comparing(Document::id))
        .map(doc -> new Head(Long.parseLong(doc.id()), doc.body().getString("hash")))
        .orElse(new Head(0, GENESIS_HASH)));
  }

  private JsonObject seal(Head previous, AuditEntry entry) {
    JsonObject record = new JsonObject()
        .put("seq", previous.seq() + 1)
        .put("time", clock.instant().toString())
        .put("actor", entry.actor())
        .put("action", entry.action())
        .put("target", entry.target())
        .put("result", entry.result())
        .put("source_ip", entry.sourceIp())
        .put("request_id", entry.requestId())
        .put("prev_hash", previous.hash());
    if (entry.details() != null) {
      record.put(DETAILS, entry.details());
    }
    if (entry.channel() != null) {
      record.put(CHANNEL, entry.channel());
    }
    return record.put("hash", hash(record));
  }

  /** The hash defined in the class documentation; fails on a record whose fields have the wrong types. */
  static String hash(JsonObject record) {
    StringBuilder canonical = new StringBuilder(CANONICAL_VERSION).append('\n');
    Object seq = record.getValue("seq");
    if (!(seq instanceof Integer || seq instanceof Long)) {
      throw new IllegalArgumentException("seq is not an integer");
    }
    canonical.append("seq=").append(seq).append('\n');
    for (String field : HASHED_TEXT_FIELDS) {
      appendLine(canonical, field, record.getValue(field));
    }
    if (record.containsKey(DETAILS)) {
      appendLine(canonical, DETAILS, record.getValue(DETAILS));
    }
    if (record.containsKey(CHANNEL)) {
      appendLine(canonical, CHANNEL, record.getValue(CHANNEL));
    }
    return sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void appendLine(StringBuilder canonical, String field, Object value) {
    canonical.append(field).append('=');
    if (value == null) {
      canonical.append('-');
    } else if (value instanceof String text) {
      canonical.append(text.getBytes(StandardCharsets.UTF_8).length).append(':').append(text);
    } else {
      throw new IllegalArgumentException(field + " is not a string");
    }
    canonical.append('\n');
  }

  // ---- listing ----

  private static boolean matches(AuditQuery query, JsonObject record) {
    return matches(query.actor(), record, "actor")
        && matches(query.action(), record, "action")
        && matches(query.target(), record, "target")
        && matches(query.result(), record, "result")
        && inWindow(query.since(), query.until(), record.getValue("time"));
  }

  private static boolean matches(String wanted, JsonObject record, String field) {
    return wanted == null || wanted.equals(record.getValue(field));
  }

  private static boolean inWindow(Instant since, Instant until, Object time) {
    if (since == null && until == null) {
      return true;
    }
    if (!(time instanceof String text)) {
      return false;
    }
    try {
      Instant at = Instant.parse(text);
      return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  // ---- verification ----

  private static JsonObject walk(List<Document> docs, Head known) {
    List<Document> ordered = docs.stream().sorted(Comparator.comparing(Document::id)).collect(Collectors.toList());
    long expectedSeq = 1;
    String previousHash = GENESIS_HASH;
    for (Document doc : ordered) {
      JsonObject record = doc.body();
      String hash;
      try {
        long seq = record.getLong("seq");
        if (seq != expectedSeq) {
          return broken(ordered.size(), expectedSeq, seq > expectedSeq
              ? "record " + expectedSeq + " is missing (next record is " + seq + ")"
              : "record " + doc.id() + " claims seq " + seq);
        }
        if (!doc.id().equals(id(seq))) {
          return broken(ordered.size(), seq, "record " + seq + " is stored under id " + doc.id());
        }
        if (!previousHash.equals(record.getValue("prev_hash"))) {
          return broken(ordered.size(), seq, "prev_hash of record " + seq + " does not match the hash of record " + (seq - 1));
        }
        hash = hash(record);
        if (!hash.equals(record.getValue("hash"))) {
          return broken(ordered.size(), seq, "content of record " + seq + " does not match its hash");
        }
      } catch (RuntimeException e) {
        return broken(ordered.size(), expectedSeq, "record " + doc.id() + " is malformed: " + e.getMessage());
      }
      previousHash = hash;
      expectedSeq++;
    }
    if (known != null && known.seq() >= expectedSeq) {
      return broken(ordered.size(), expectedSeq, "records " + expectedSeq + " to " + known.seq() + " were appended but are gone");
    }
    return new JsonObject().put("intact", true).put("records", ordered.size()).putNull("first_broken_seq").putNull("reason");
  }

  private static JsonObject broken(int records, long seq, String reason) {
    return new JsonObject().put("intact", false).put("records", records).put("first_broken_seq", seq).put("reason", reason);
  }

  // ---- helpers ----

  static String id(long seq) {
    return String.format("%020d", seq);
  }

  private static boolean isSequenceId(String id) {
    return id.length() == 20 && id.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean isAlreadyExists(Throwable failure) {
    return failure instanceof Codex32Exception e && "already_exists".equals(e.code());
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Completes on {@code context} (when there is one), whichever thread completes {@code future}. */
  private static <T> Future<T> onContext(Context context, Future<T> future) {
    if (context == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == context) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }
}
