package io.codex32.security;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Users: CRUD for admins, password checks for login, and the first admin at first start. */
public final class UserService {

  public UserService(Vertx vertx, DocumentStore store, PasswordHasher hasher, Clock clock) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 409 {@code already_exists} when taken. */
  public Future<User> create(String username, String password, Role role) {
    throw new UnsupportedOperationException("TODO");
  }

  public Future<List<User>> list() {
    throw new UnsupportedOperationException("TODO");
  }

  /** 404 when absent. */
  public Future<User> get(String username) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 404 when absent; 409 {@code last_admin} when it would leave no enabled admin. */
  public Future<User> update(String username, UserPatch patch) {
    throw new UnsupportedOperationException("TODO");
  }

  /** 404 when absent; 409 {@code last_admin} when it would leave no enabled admin. */
  public Future<Void> delete(String username) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The user if the password matches and the account is enabled; 401 {@code invalid_credentials} otherwise. */
  public Future<User> verifyPassword(String username, String password) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Creates user {@code admin} when no user exists yet. With a configured password it is used;
   * otherwise a generated one is written once to {@code <dataDir>/initial-admin-password} and
   * returned. Returns {@code null} when users already existed.
   */
  public Future<String> bootstrapAdmin(String configuredPassword, Path dataDir) {
    throw new UnsupportedOperationException("TODO");
  }
}
