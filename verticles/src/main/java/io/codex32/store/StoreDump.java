package io.codex32.store;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every document of a store as JSON lines, to back up either store and to move a deployment from
 * one store to another:
 *
 * <pre>
 * {"format":"codex32-store-dump","version":1,"exported_at":"2026-01-31T10:00:00Z"}
 * {"collection":"bots","id":"weather-station","revision":3,"body":{...}}
 * ...
 * {"end":true,"documents":N}
 * </pre>
 *
 * Collections come sorted by name, each in its insertion order. The closing line lets an import
 * tell a complete dump from a cut-off one. An import needs an empty store and writes nothing
 * unless the whole dump is valid.
 *
 * <p>Blocking: for the command-line tools, never for an event loop.
 */
public final class StoreDump {

  public static final String FORMAT = "codex32-store-dump";
  public static final int VERSION = 1;
  /** Bound on one store operation of a dump: the store's own timeouts are shorter. */
  private static final long WAIT_MINUTES = 10;

  private StoreDump() {
  }

  /** Writes the dump and returns how many documents it holds. */
  public static long export(DocumentStore store, Writer out, Instant now) throws IOException {
    out.write(new JsonObject().put("format", FORMAT).put("version", VERSION).put("exported_at", now.toString()).encode());
    out.write('\n');
    long count = 0;
    for (String collection : await(store.collections())) {
      for (Document doc : await(store.list(collection))) {
        out.write(new JsonObject().put("collection", collection).put("id", doc.id()).put("revision", doc.revision())
            .put("body", doc.body()).encode());
        out.write('\n');
        count++;
      }
    }
    out.write(new JsonObject().put("end", true).put("documents", count).encode());
    out.write('\n');
    out.flush();
    return count;
  }

  /**
   * Reads a whole dump, checks it, and adds its documents to {@code store}, which must be empty.
   * Returns how many were imported.
   *
   * @throws Codex32Exception 400 {@code invalid_dump} naming the line, 409 {@code store_not_empty}
   */
  public static long importInto(DocumentStore store, BufferedReader in) throws IOException {
    List<StoredDocument> documents = read(in);
    List<String> present = await(store.collections());
    if (!present.isEmpty()) {
      throw Codex32Exception.conflict("store_not_empty", "the target store already holds documents (collections "
          + String.join(", ", present) + "); import only into an empty store");
    }
    await(store.restore(documents));
    return documents.size();
  }

  /** Parses and checks a dump without writing anything. */
  static List<StoredDocument> read(BufferedReader in) throws IOException {
    List<StoredDocument> documents = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    String line = in.readLine();
    JsonObject header = parse(line, 1);
    if (!FORMAT.equals(header.getValue("format")) || !Integer.valueOf(VERSION).equals(header.getValue("version"))) {
      throw invalid(1, "not a " + FORMAT + " version " + VERSION + " header");
    }
    long number = 1;
    while ((line = in.readLine()) != null) {
      number++;
      JsonObject entry = parse(line, number);
      if (Boolean.TRUE.equals(entry.getValue("end"))) {
        if (!Long.valueOf(documents.size()).equals(asLong(entry.getValue("documents")))) {
          throw invalid(number, "the dump ends after " + documents.size() + " documents but says it holds " + entry.getValue("documents"));
        }
        if (in.readLine() != null) {
          throw invalid(number + 1, "text after the end line");
        }
        return documents;
      }
      StoredDocument document = document(entry, number);
      if (!keys.add(document.collection() + '\u0000' + document.document().id())) {
        throw invalid(number, "second document " + document.collection() + " '" + document.document().id() + "'");
      }
      documents.add(document);
    }
    throw invalid(number, "the dump has no end line: it is incomplete (cut off while it was written or copied)");
  }

  private static StoredDocument document(JsonObject entry, long number) {
    Object collection = entry.getValue("collection");
    Object id = entry.getValue("id");
    Long revision = asLong(entry.getValue("revision"));
    Object body = entry.getValue("body");
    if (!(collection instanceof String c) || c.isEmpty() || !(id instanceof String i) || i.isEmpty()) {
      throw invalid(number, "collection and id must be non-empty strings");
    }
    if (revision == null || revision < 1) {
      throw invalid(number, "revision must be a whole number of at least 1");
    }
    if (!(body instanceof JsonObject json)) {
      throw invalid(number, "body must be a JSON object");
    }
    return new StoredDocument(c, new Document(i, revision, json));
  }

  private static JsonObject parse(String line, long number) {
    if (line == null) {
      throw invalid(number, "the dump is empty");
    }
    try {
      return new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw invalid(number, "not a JSON object");
    }
  }

  private static Long asLong(Object value) {
    return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
  }

  private static Codex32Exception invalid(long line, String problem) {
    return Codex32Exception.badRequest("invalid_dump", "line " + line + ": " + problem);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_MINUTES, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      throw Codex32Exception.unavailable("store_unavailable", "the store did not answer within " + WAIT_MINUTES + " minutes", e);
    }
  }
}
