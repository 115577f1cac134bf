package io.codex32.store;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A non-durable {@link DocumentStore} for unit tests of the services built on the store contract.
 * Anything about durability is tested against {@link FileDocumentStore}.
 */
public final class InMemoryDocumentStore implements DocumentStore {

  private final Map<String, Map<String, Document>> collections = new LinkedHashMap<>();

  private synchronized Map<String, Document> collection(String name) {
    return collections.computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  @Override
  public synchronized Future<Document> get(String collection, String id) {
    return Future.succeededFuture(collection(collection).get(id));
  }

  @Override
  public synchronized Future<List<Document>> list(String collection) {
    return Future.succeededFuture(new ArrayList<>(collection(collection).values()));
  }

  @Override
  public synchronized Future<Document> insert(String collection, String id, JsonObject body) {
    Map<String, Document> docs = collection(collection);
    if (docs.containsKey(id)) {
      return Future.failedFuture(Codex32Exception.conflict("already_exists", collection + " '" + id + "' already exists"));
    }
    Document doc = new Document(id, 1, body.copy());
    docs.put(id, doc);
    return Future.succeededFuture(doc);
  }

  @Override
  public synchronized Future<Document> update(String collection, String id, JsonObject body, long expectedRevision) {
    Document current = collection(collection).get(id);
    if (current == null) {
      return Future.failedFuture(Codex32Exception.notFound(collection + " '" + id + "' not found"));
    }
    if (expectedRevision >= 0 && current.revision() != expectedRevision) {
      return Future.failedFuture(Codex32Exception.conflict("revision_conflict", collection + " '" + id + "' was changed concurrently"));
    }
    Document doc = new Document(id, current.revision() + 1, body.copy());
    collection(collection).put(id, doc);
    return Future.succeededFuture(doc);
  }

  @Override
  public synchronized Future<Document> upsert(String collection, String id, JsonObject body) {
    Document current = collection(collection).get(id);
    Document doc = new Document(id, current == null ? 1 : current.revision() + 1, body.copy());
    collection(collection).put(id, doc);
    return Future.succeededFuture(doc);
  }

  @Override
  public synchronized Future<Boolean> delete(String collection, String id) {
    return Future.succeededFuture(collection(collection).remove(id) != null);
  }

  @Override
  public synchronized Future<List<String>> collections() {
    return Future.succeededFuture(collections.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
        .sorted().toList());
  }

  @Override
  public synchronized Future<Void> restore(List<StoredDocument> documents) {
    for (StoredDocument stored : documents) {
      if (collection(stored.collection()).containsKey(stored.document().id())) {
        return Future.failedFuture(Codex32Exception.conflict("already_exists", stored.collection() + " '" + stored.document().id()
            + "' already exists"));
      }
    }
    documents.forEach(stored -> collection(stored.collection()).put(stored.document().id(), stored.document()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
