package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.codex32.store.InMemoryDocumentStore;
import io.codex32.store.StoredDocument;
import io.codex32.test.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TokenServiceTest {

  private final SecurityFixture fx = new SecurityFixture();
  private final TokenService tokens = fx.tokens;
  private final User alice = fx.user("alice", "s3cret-pass", Role.OPERATOR);

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void accessTokenIsEs256WithTheAgreedClaims() {
    TokenPair pair = Await.result(tokens.issue(alice));

    JsonObject header = segment(pair.accessToken(), 0);
    JsonObject claims = segment(pair.accessToken(), 1);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(claims.getString("role")).isEqualTo("operator");
    assertThat(claims.getString("iss")).isEqualTo("codex32");
    assertThat(claims.getString("jti")).isNotBlank();
    assertThat(claims.getString("fam")).isNotBlank();
    assertThat(claims.getLong("iat")).isEqualTo(fx.clock.instant().getEpochSecond());
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(SecurityFixture.ACCESS_TTL);
    assertThat(pair.expiresInSeconds()).isEqualTo(SecurityFixture.ACCESS_TTL);
    assertThat(pair.refreshToken()).matches("[A-Za-z0-9_-]{43}");

    Principal principal = Await.result(tokens.verifyAccessToken(pair.accessToken()));
    assertThat(principal).isEqualTo(new Principal("alice", Role.OPERATOR, Principal.Kind.USER, claims.getString("jti")));
  }

  @Test
  void refreshTokenIsStoredOnlyAsItsDigest() {
    TokenPair pair = Await.result(tokens.issue(alice));

    List<Document> stored = Await.result(fx.store.list(TokenService.REFRESH_TOKENS));
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).id()).isEqualTo(Secrets.sha256Hex(pair.refreshToken())).matches("[0-9a-f]{64}");
    assertThat(stored.get(0).body().encode()).doesNotContain(pair.refreshToken());
    assertThat(stored.get(0).body().getBoolean("used")).isFalse();
  }

  @Test
  void tamperedPayloadIsInvalid() {
    String[] parts = Await.result(tokens.issue(alice)).accessToken().split("\\.");
    JsonObject claims = segment(parts[1]).put("role", "admin");

    assertInvalidToken(tokens.verifyAccessToken(parts[0] + "." + encode(claims) + "." + parts[2]));
  }

  @Test
  void algNoneIsRejectedByUsAndByVertxAuthJwtItself() {
    String[] parts = Await.result(tokens.issue(alice)).accessToken().split("\\.");
    String none = encode(new JsonObject().put("alg", "none").put("typ", "JWT"));
    String unsigned = none + "." + parts[1] + ".";
    String unsignedKeepingSignature = none + "." + parts[1] + "." + parts[2];

    assertInvalidToken(tokens.verifyAccessToken(unsigned));
    assertInvalidToken(tokens.verifyAccessToken(unsignedKeepingSignature));
    // the library alone, configured like TokenService, must refuse too: our header gate is defence in depth
    JWTAuth library = verifyingLibrary(fx.vertx, fx.keys);
    assertLibraryRejects(library, unsigned);
    assertLibraryRejects(library, unsignedKeepingSignature);
    assertLibraryRejects(library, none + "." + parts[1]);
    assertThat(Await.result(library.authenticate(new TokenCredentials(String.join(".", parts))))).as("control").isNotNull();
  }

  @Test
  void es256HeaderWithoutSignatureIsInvalid() {
    String[] parts = Await.result(tokens.issue(alice)).accessToken().split("\\.");

    assertInvalidToken(tokens.verifyAccessToken(parts[0] + "." + parts[1] + "."));
    assertInvalidToken(tokens.verifyAccessToken(parts[0] + "." + parts[1]));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRejected() throws Exception {
    String[] parts = Await.result(tokens.issue(alice)).accessToken().split("\\.");
    String header = encode(new JsonObject().put("alg", "HS256").put("typ", "JWT"));
    String payload = encode(segment(parts[1]).put("role", "admin"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(fx.keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String signature = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
    String forged = header + "." + payload + "." + signature;

    assertInvalidToken(tokens.verifyAccessToken(forged));
    assertLibraryRejects(verifyingLibrary(fx.vertx, fx.keys), forged);
  }

  @Test
  void tokenSignedByAnotherEcKeyIsRejected() {
    // same store, same users: the forged family even exists, only the signature gives it away
    TokenService foreign = new TokenService(fx.vertx, SecurityFixture.newKeys(), fx.store, fx.users, fx.clock, 300, 3600);
    String forged = Await.result(foreign.issue(alice)).accessToken();

    assertInvalidToken(tokens.verifyAccessToken(forged));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"garbage", "a.b", "a.b.c", "..", "e30.e30.", "bnVsbA.bnVsbA.x"})
  void garbageIsInvalid(String token) {
    assertInvalidToken(tokens.verifyAccessToken(token));
  }

  @Test
  void expiryFollowsTheInjectedClock() {
    String access = Await.result(tokens.issue(alice)).accessToken();

    fx.clock.advance(Duration.ofSeconds(SecurityFixture.ACCESS_TTL + TokenService.LEEWAY_SECONDS - 1));
    assertThat(Await.result(tokens.verifyAccessToken(access)).subject()).isEqualTo("alice");

    fx.clock.advance(Duration.ofSeconds(1));
    Codex32Exception e = Await.failure(tokens.verifyAccessToken(access));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.code()).isEqualTo("token_expired");
  }

  @Test
  void refreshRotatesWithinTheSameFamily() {
    TokenPair first = Await.result(tokens.issue(alice));
    fx.clock.advance(Duration.ofSeconds(10));

    TokenPair second = Await.result(tokens.refresh(first.refreshToken()));

    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(segment(second.accessToken(), 1).getString("fam")).isEqualTo(segment(first.accessToken(), 1).getString("fam"));
    assertThat(Await.result(tokens.verifyAccessToken(second.accessToken())).subject()).isEqualTo("alice");
    assertThat(Await.result(tokens.verifyAccessToken(first.accessToken())).subject()).as("not revoked by rotation").isEqualTo("alice");
    TokenPair third = Await.result(tokens.refresh(second.refreshToken()));
    assertThat(Await.result(tokens.verifyAccessToken(third.accessToken())).role()).isEqualTo(Role.OPERATOR);
  }

  @Test
  void reusedRefreshTokenRevokesTheWholeFamily() {
    TokenPair first = Await.result(tokens.issue(alice));
    TokenPair second = Await.result(tokens.refresh(first.refreshToken()));
    TokenPair otherLogin = Await.result(tokens.issue(alice));

    Codex32Exception reuse = Await.failure(tokens.refresh(first.refreshToken()));

    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.code()).isEqualTo("refresh_token_reused");
    assertThat(Await.failure(tokens.refresh(second.refreshToken())).code()).isEqualTo("refresh_token_reused");
    assertThat(Await.failure(tokens.verifyAccessToken(first.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(tokens.verifyAccessToken(second.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.result(tokens.verifyAccessToken(otherLogin.accessToken())).subject()).as("other family untouched").isEqualTo("alice");
    assertThat(Await.result(tokens.refresh(otherLogin.refreshToken()))).isNotNull();
  }

  @Test
  void concurrentUseOfOneRefreshTokenNeverYieldsTwoLiveSessions() {
    try (SecurityFixture slow = new SecurityFixture(vertx -> new DelayingStore(vertx, new InMemoryDocumentStore()))) {
      User bob = slow.user("bob", "bob-password", Role.VIEWER);
      String refresh = Await.result(slow.tokens.issue(bob)).refreshToken();

      Future<TokenPair> a = slow.tokens.refresh(refresh);
      Future<TokenPair> b = slow.tokens.refresh(refresh);
      Await.result(Future.join(a, b).otherwiseEmpty());

      assertThat(a.succeeded() && b.succeeded()).as("both succeeded").isFalse();
      for (Future<TokenPair> attempt : List.of(a, b)) {
        if (attempt.failed()) {
          assertThat(((Codex32Exception) attempt.cause()).code()).isEqualTo("refresh_token_reused");
        } else {
          // the winner's family was revoked by the loser's reuse detection
          assertThat(Await.failure(slow.tokens.verifyAccessToken(attempt.result().accessToken())).code()).isEqualTo("token_revoked");
        }
      }
    }
  }

  @Test
  void logoutRevokesTheFamily() {
    TokenPair pair = Await.result(tokens.issue(alice));

    Await.result(tokens.revoke(pair.refreshToken()));

    assertThat(Await.failure(tokens.verifyAccessToken(pair.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(tokens.refresh(pair.refreshToken())).status()).isEqualTo(401);
    Await.result(tokens.revoke(pair.refreshToken()));
    Await.result(tokens.revoke("unknown-token"));
    Await.result(tokens.revoke(null));
  }

  @Test
  void revokeAllLogsAUserOutEverywhere() {
    TokenPair one = Await.result(tokens.issue(alice));
    TokenPair two = Await.result(tokens.issue(alice));
    fx.user("bob", "bob-password", Role.VIEWER);
    TokenPair bobs = Await.result(tokens.issue(Await.result(fx.users.get("bob"))));

    assertThat(Await.result(tokens.revokeAll("alice"))).isEqualTo(2);

    assertThat(Await.failure(tokens.verifyAccessToken(one.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(tokens.verifyAccessToken(two.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.result(tokens.verifyAccessToken(bobs.accessToken())).subject()).isEqualTo("bob");
  }

  @Test
  void unknownMalformedAndExpiredRefreshTokensAreInvalid() {
    TokenPair pair = Await.result(tokens.issue(alice));

    assertThat(Await.failure(tokens.refresh(Secrets.randomBase64Url(32))).code()).isEqualTo("invalid_refresh_token");
    assertThat(Await.failure(tokens.refresh("not a token")).code()).isEqualTo("invalid_refresh_token");
    assertThat(Await.failure(tokens.refresh(null)).code()).isEqualTo("invalid_refresh_token");

    fx.clock.advance(Duration.ofSeconds(SecurityFixture.REFRESH_TTL));
    Codex32Exception expired = Await.failure(tokens.refresh(pair.refreshToken()));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.code()).isEqualTo("invalid_refresh_token");
  }

  @Test
  void disabledUsersTokensStopWorking() {
    TokenPair pair = Await.result(tokens.issue(alice));

    Await.result(fx.users.update("alice", new UserPatch(null, null, true)));

    assertThat(Await.failure(tokens.verifyAccessToken(pair.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(tokens.refresh(pair.refreshToken())).code()).isEqualTo("invalid_refresh_token");
  }

  @Test
  void deletedUsersTokensStopWorking() {
    TokenPair pair = Await.result(tokens.issue(alice));

    Await.result(fx.users.delete("alice"));

    assertThat(Await.failure(tokens.verifyAccessToken(pair.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(tokens.refresh(pair.refreshToken())).code()).isEqualTo("invalid_refresh_token");
  }

  @Test
  void roleChangeAppliesToExistingTokens() {
    String access = Await.result(tokens.issue(alice)).accessToken();

    Await.result(fx.users.update("alice", new UserPatch(null, Role.VIEWER, null)));

    assertThat(segment(access, 1).getString("role")).isEqualTo("operator");
    assertThat(Await.result(tokens.verifyAccessToken(access)).role()).isEqualTo(Role.VIEWER);
  }

  @Test
  void verifyOnlyNodeVerifiesButCannotIssue() {
    JwtKeys publicOnly = publicOnly(fx.keys);
    TokenService edge = new TokenService(fx.vertx, publicOnly, fx.store, fx.users, fx.clock, 300, 3600);
    String access = Await.result(tokens.issue(alice)).accessToken();

    assertThat(Await.result(edge.verifyAccessToken(access)).subject()).isEqualTo("alice");
    Codex32Exception e = Await.failure(edge.issue(alice));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code()).isEqualTo("token_signing_unavailable");
  }

  @Test
  void purgeDropsOnlyExpiredRecords() {
    TokenPair old = Await.result(tokens.issue(alice));
    fx.clock.advance(Duration.ofSeconds(SecurityFixture.REFRESH_TTL - 10));
    TokenPair recent = Await.result(tokens.issue(alice));
    fx.clock.advance(Duration.ofSeconds(20));

    assertThat(Await.result(tokens.purgeExpired())).isEqualTo(2);

    assertThat(Await.result(fx.store.list(TokenService.REFRESH_TOKENS))).hasSize(1);
    assertThat(Await.result(fx.store.list(TokenService.FAMILIES))).hasSize(1);
    assertThat(Await.result(tokens.refresh(recent.refreshToken()))).isNotNull();
    assertThat(Await.failure(tokens.refresh(old.refreshToken())).code()).isEqualTo("invalid_refresh_token");
  }

  static JWTAuth verifyingLibrary(Vertx vertx, JwtKeys keys) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(keys.publicKeyPem())));
  }

  private static void assertLibraryRejects(JWTAuth library, String token) {
    Future<?> outcome;
    try {
      outcome = library.authenticate(new TokenCredentials(token));
    } catch (RuntimeException thrown) {
      return;
    }
    try {
      Object user = outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("vertx-auth-jwt accepted " + token + " as " + user);
    } catch (ExecutionException expected) {
      // rejected, as it must be
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static JwtKeys publicOnly(JwtKeys keys) {
    try {
      Path dir = Files.createTempDirectory("codex32-pub");
      Path pem = Files.writeString(dir.resolve("public.pem"), keys.publicKeyPem());
      JwtKeys loaded = JwtKeys.loadOrCreate(dir, null, pem.toString());
      Files.delete(pem);
      Files.delete(dir);
      return loaded;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertInvalidToken(Future<Principal> verification) {
    Codex32Exception e = Await.failure(verification);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.code()).isEqualTo("invalid_token");
  }

  private static JsonObject segment(String token, int index) {
    return segment(token.split("\\.")[index]);
  }

  private static JsonObject segment(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  private static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Completes every operation a moment later on the event loop, so concurrent callers interleave as over a real store. */
  private static final class DelayingStore implements DocumentStore {

    private final Vertx vertx;
    private final DocumentStore delegate;

    DelayingStore(Vertx vertx, DocumentStore delegate) {
      this.vertx = vertx;
      this.delegate = delegate;
    }

    private <T> Future<T> later(Supplier<Future<T>> operation) {
      Promise<T> promise = Promise.promise();
      vertx.setTimer(1, id -> operation.get().onComplete(promise));
      return promise.future();
    }

    @Override
    public Future<Document> get(String collection, String id) {
      return later(() -> delegate.get(collection, id));
    }

    @Override
    public Future<List<Document>> list(String collection) {
      return later(() -> delegate.list(collection));
    }

    @Override
    public Future<Document> insert(String collection, String id, JsonObject body) {
      return later(() -> delegate.insert(collection, id, body));
    }

    @Override
    public Future<Document> update(String collection, String id, JsonObject body, long expectedRevision) {
      return later(() -> delegate.update(collection, id, body, expectedRevision));
    }

    @Override
    public Future<Document> upsert(String collection, String id, JsonObject body) {
      return later(() -> delegate.upsert(collection, id, body));
    }

    @Override
    public Future<Boolean> delete(String collection, String id) {
      return later(() -> delegate.delete(collection, id));
    }

    @Override
    public Future<List<String>> collections() {
      return later(delegate::collections);
    }

    @Override
    public Future<Void> restore(List<StoredDocument> documents) {
      return later(() -> delegate.restore(documents));
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }
  }
}
