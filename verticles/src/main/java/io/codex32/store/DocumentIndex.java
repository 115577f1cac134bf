package io.codex32.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable state in memory: what replay and acknowledged writes produced, in first-insertion
 * order per collection. Only the writer thread mutates it; event loops read it under the same
 * monitor, held for a copy of references at most. Documents held here are never handed out (the
 * store copies bodies on the way out), so their bodies are effectively immutable.
 */
final class DocumentIndex {

  private final Map<String, Map<String, Document>> collections = new LinkedHashMap<>();
  private long size;

  synchronized Document get(String collection, String id) {
    Map<String, Document> docs = collections.get(collection);
    return docs == null ? null : docs.get(id);
  }

  synchronized List<Document> list(String collection) {
    Map<String, Document> docs = collections.get(collection);
    return docs == null ? new ArrayList<>() : new ArrayList<>(docs.values());
  }

  /** Names of the collections holding at least one document, sorted. */
  synchronized List<String> collections() {
    return collections.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
  }

  /** Live documents across all collections. */
  synchronized long size() {
    return size;
  }

  synchronized void apply(JournalRecord record) {
    Map<String, Document> docs = collections.computeIfAbsent(record.collection(), c -> new LinkedHashMap<>());
    if (record.op() == JournalRecord.Op.PUT) {
      // A replaced key keeps its position in a LinkedHashMap: order stays that of first insertion.
      if (docs.put(record.id(), new Document(record.id(), record.revision(), record.doc())) == null) {
        size++;
      }
    } else if (docs.remove(record.id()) != null) {
      size--;
    }
  }

  synchronized void applyAll(List<JournalRecord> records) {
    records.forEach(this::apply);
  }

  /** Every live document as a put record, in an order whose replay rebuilds this index exactly. */
  synchronized List<JournalRecord> snapshot() {
    List<JournalRecord> records = new ArrayList<>((int) size);
    collections.forEach((collection, docs) -> docs.values()
        .forEach(doc -> records.add(JournalRecord.put(collection, doc.id(), doc.revision(), doc.body()))));
    return records;
  }
}
