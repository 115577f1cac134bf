package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.test.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiKeyServiceTest {

  private final SecurityFixture fx = new SecurityFixture();
  private final ApiKeyService apiKeys = fx.apiKeys;

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void createdKeyAuthenticatesAsItsOwnerWithItsRole() {
    CreatedApiKey created = Await.result(apiKeys.create("ci deploys", Role.OPERATOR, "alice"));

    assertThat(created.secret()).matches("c32_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
    assertThat(created.secret()).startsWith("c32_" + created.key().id() + "_");
    assertThat(created.key().name()).isEqualTo("ci deploys");
    assertThat(created.key().revoked()).isFalse();
    assertThat(created.key().lastUsedAt()).isNull();
    assertThat(created.toJson().getString("key")).isEqualTo(created.secret());

    Principal principal = Await.result(apiKeys.authenticate(created.secret()));
    assertThat(principal).isEqualTo(new Principal("alice", Role.OPERATOR, Principal.Kind.API_KEY, created.key().id()));
  }

  @Test
  void storeHoldsOnlyTheDigest() {
    CreatedApiKey created = Await.result(apiKeys.create("ci", Role.VIEWER, "alice"));

    Document doc = Await.result(fx.store.get(ApiKeyService.COLLECTION, created.key().id()));
    assertThat(doc.body().getString("sha256")).isEqualTo(Secrets.sha256Hex(created.secret()));
    assertThat(doc.body().encode()).doesNotContain(created.secret().substring(17));
    assertThat(Await.result(apiKeys.list())).containsExactly(created.key());
    assertThat(created.key().toJson().fieldNames()).doesNotContain("key", "sha256");
  }

  @Test
  void revokedKeyNoLongerAuthenticates() {
    CreatedApiKey created = Await.result(apiKeys.create("ci", Role.ADMIN, "alice"));

    ApiKey revoked = Await.result(apiKeys.revoke(created.key().id()));

    assertThat(revoked.revoked()).isTrue();
    assertInvalid(Await.failure(apiKeys.authenticate(created.secret())));
    assertThat(Await.result(apiKeys.list()).get(0).revoked()).isTrue();
  }

  @Test
  void revokingUnknownKeyIsNotFound() {
    Codex32Exception e = Await.failure(apiKeys.revoke("0123456789ab"));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.code()).isEqualTo("not_found");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"c32_", "garbage", "c32_0123456789ab", "c32_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "c33_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "c32_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void malformedOrUnknownKeysAreInvalid(String secret) {
    assertInvalid(Await.failure(apiKeys.authenticate(secret)));
  }

  @Test
  void rightIdWithWrongSecretIsInvalid() {
    CreatedApiKey created = Await.result(apiKeys.create("ci", Role.ADMIN, "alice"));
    String secret = created.secret();
    String tampered = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");

    assertInvalid(Await.failure(apiKeys.authenticate(tampered)));
    assertInvalid(Await.failure(apiKeys.authenticate(secret + "A")));
  }

  @Test
  void nameMustBeOneTo64Characters() {
    assertThat(Await.failure(apiKeys.create("", Role.VIEWER, "alice")).code()).isEqualTo("invalid_name");
    assertThat(Await.failure(apiKeys.create("   ", Role.VIEWER, "alice")).code()).isEqualTo("invalid_name");
    assertThat(Await.failure(apiKeys.create(null, Role.VIEWER, "alice")).code()).isEqualTo("invalid_name");
    assertThat(Await.failure(apiKeys.create("n".repeat(65), Role.VIEWER, "alice")).status()).isEqualTo(400);
    assertThat(Await.result(apiKeys.create("n".repeat(64), Role.VIEWER, "alice")).key().name()).hasSize(64);
    assertThat(Await.failure(apiKeys.create("ci", null, "alice")).code()).isEqualTo("invalid_role");
  }

  @Test
  void lastUsedIsWrittenAtMostOncePerMinute() {
    CreatedApiKey created = Await.result(apiKeys.create("ci", Role.VIEWER, "alice"));
    String id = created.key().id();
    Instant first = fx.clock.instant();

    Await.result(apiKeys.authenticate(created.secret()));
    long revisionAfterFirstUse = revision(id);
    fx.clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      Await.result(apiKeys.authenticate(created.secret()));
    }

    assertThat(revision(id)).as("no write per request").isEqualTo(revisionAfterFirstUse);
    assertThat(Await.result(apiKeys.list()).get(0).lastUsedAt()).isEqualTo(first);

    fx.clock.advance(Duration.ofSeconds(31));
    Await.result(apiKeys.authenticate(created.secret()));
    assertThat(revision(id)).isEqualTo(revisionAfterFirstUse + 1);
    assertThat(Await.result(apiKeys.list()).get(0).lastUsedAt()).isEqualTo(fx.clock.instant());
  }

  @Test
  void touchingLastUsedNeverUndoesARevocation() {
    CreatedApiKey created = Await.result(apiKeys.create("ci", Role.VIEWER, "alice"));
    Document before = Await.result(fx.store.get(ApiKeyService.COLLECTION, created.key().id()));

    Await.result(apiKeys.revoke(created.key().id()));
    // a stale authentication racing the revocation can only attempt a revision-checked write
    Codex32Exception stale = Await.failure(fx.store.update(ApiKeyService.COLLECTION, before.id(),
        before.body().copy().put("last_used_at", fx.clock.instant().toString()), before.revision()));

    assertThat(stale.code()).isEqualTo("revision_conflict");
    assertInvalid(Await.failure(apiKeys.authenticate(created.secret())));
  }

  private long revision(String id) {
    return Await.result(fx.store.get(ApiKeyService.COLLECTION, id)).revision();
  }

  private static void assertInvalid(Codex32Exception e) {
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.code()).isEqualTo("invalid_api_key");
  }
}
