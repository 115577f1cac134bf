package io.codex32.security;

import io.codex32.live.LocalFailureCounters;
import io.codex32.store.DocumentStore;
import io.codex32.store.InMemoryDocumentStore;
import io.codex32.test.Await;
import io.codex32.test.MutableClock;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/** Real services wired like the gateway does, over an in-memory store, bcrypt cost 4 and a hand-moved clock. */
final class SecurityFixture implements AutoCloseable {

  static final long ACCESS_TTL = 300;
  static final long REFRESH_TTL = 86_400;
  static final int MAX_FAILURES = 3;
  static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);

  private static JwtKeys sharedKeys;

  final Vertx vertx = TestVertx.create();
  final MutableClock clock = MutableClock.startingNow();
  final DocumentStore store;
  final JwtKeys keys;
  final UserService users;
  final TokenService tokens;
  final ApiKeyService apiKeys;
  final LoginThrottle throttle;
  final AuthService auth;

  SecurityFixture() {
    this(vertx -> new InMemoryDocumentStore());
  }

  SecurityFixture(Function<Vertx, DocumentStore> storeFactory) {
    this.store = storeFactory.apply(vertx);
    this.keys = keys();
    this.users = new UserService(vertx, store, new PasswordHasher(4), clock);
    this.tokens = new TokenService(vertx, keys, store, users, clock, ACCESS_TTL, REFRESH_TTL);
    this.apiKeys = new ApiKeyService(vertx, store, clock);
    this.throttle = new LoginThrottle(new LocalFailureCounters(clock), MAX_FAILURES, THROTTLE_WINDOW);
    this.auth = new AuthService(users, tokens, apiKeys, throttle);
  }

  /** EC key generation is not free: one pair for the whole test run, generated on the test thread. */
  static synchronized JwtKeys keys() {
    if (sharedKeys == null) {
      sharedKeys = newKeys();
    }
    return sharedKeys;
  }

  /** A pair of its own, e.g. for forging tokens with a foreign key. */
  static JwtKeys newKeys() {
    try {
      Path dir = Files.createTempDirectory("codex32-jwt");
      JwtKeys keys = JwtKeys.loadOrCreate(dir, null, null);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  User user(String username, String password, Role role) {
    return Await.result(users.create(username, password, role));
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
