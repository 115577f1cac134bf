package io.codex32.health;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;

/** The document store answers a read. */
public record StoreHealthCheck(DocumentStore store) implements HealthCheck {

  @Override
  public String component() {
    return "store";
  }

  @Override
  public Future<Void> check() {
    return store.get("meta", "readiness-probe").mapEmpty();
  }
}
