package io.codex32.security;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/** API keys for scripts and machines: shown once, stored hashed, role-scoped, revocable. */
public final class ApiKeyService {

  public ApiKeyService(Vertx vertx, DocumentStore store, Clock clock) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<CreatedApiKey> create(String name, Role role, String owner) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<List<ApiKey>> list() {
    throw new UnsupportedOperationException("TODO");
  }

  /** 404 when absent. */
  public Future<ApiKey> revoke(String id) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 401 {@code invalid_api_key} for unknown or revoked keys. */
  public Future<Principal> authenticate(String secret) {
    throw new UnsupportedOperationException("TODO");
  }
}
