package io.codex32.store;

import java.util.Objects;

/** A document together with its collection: one entry of an export, or of a restore. */
public record StoredDocument(String collection, Document document) {

  public StoredDocument {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(document, "document");
  }
}
