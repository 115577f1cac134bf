package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthServiceTest {

  private static final String IP = "192.0.2.10";

  private final SecurityFixture fx = new SecurityFixture();
  private final AuthService auth = fx.auth;

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void loginIssuesTokensThatAuthenticate() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);

    TokenPair pair = Await.result(auth.login("alice", "s3cret-pass", IP));

    assertThat(pair.toJson().getString("token_type")).isEqualTo("Bearer");
    Principal principal = Await.result(auth.authenticateBearer(pair.accessToken()));
    assertThat(principal.subject()).isEqualTo("alice");
    assertThat(principal.role()).isEqualTo(Role.OPERATOR);
    assertThat(principal.kind()).isEqualTo(Principal.Kind.USER);
    TokenPair refreshed = Await.result(auth.refresh(pair.refreshToken()));
    assertThat(Await.result(auth.authenticateBearer(refreshed.accessToken())).subject()).isEqualTo("alice");
  }

  @Test
  void unknownUserAndWrongPasswordGetTheSameError() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);

    Codex32Exception wrong = Await.failure(auth.login("alice", "not-the-password", IP));
    Codex32Exception unknown = Await.failure(auth.login("mallory", "not-the-password", IP));

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("invalid_credentials");
    assertThat(unknown.toJson()).isEqualTo(wrong.toJson());
  }

  @Test
  void disabledUserCannotLogInAndTheirTokenStopsWorking() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);
    TokenPair pair = Await.result(auth.login("alice", "s3cret-pass", IP));

    Await.result(fx.users.update("alice", new UserPatch(null, null, true)));

    Codex32Exception login = Await.failure(auth.login("alice", "s3cret-pass", IP));
    assertThat(login.code()).isEqualTo("invalid_credentials");
    assertThat(Await.failure(auth.authenticateBearer(pair.accessToken())).status()).isEqualTo(401);
  }

  @Test
  void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);
    for (int i = 0; i < SecurityFixture.MAX_FAILURES; i++) {
      assertThat(Await.failure(auth.login("alice", "wrong-pass-" + i, IP)).code()).isEqualTo("invalid_credentials");
    }

    Codex32Exception throttled = Await.failure(auth.login("alice", "s3cret-pass", IP));

    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.retryAfterSeconds()).isPositive();
    fx.clock.advance(SecurityFixture.THROTTLE_WINDOW);
    assertThat(Await.result(auth.login("alice", "s3cret-pass", IP))).isNotNull();
  }

  @Test
  void successfulLoginResetsTheUsernameCounter() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < SecurityFixture.MAX_FAILURES - 1; i++) {
        Await.failure(auth.login("alice", "wrong-pass", "198.51.100." + round));
      }
      assertThat(Await.result(auth.login("alice", "s3cret-pass", "198.51.100." + round))).isNotNull();
    }
  }

  @Test
  void logoutRevokesTheSession() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);
    TokenPair pair = Await.result(auth.login("alice", "s3cret-pass", IP));

    Await.result(auth.logout(pair.refreshToken()));

    assertThat(Await.failure(auth.authenticateBearer(pair.accessToken())).code()).isEqualTo("token_revoked");
    assertThat(Await.failure(auth.refresh(pair.refreshToken())).status()).isEqualTo(401);
  }

  @Test
  void apiKeyWorksOnlyWhileItsOwnerIsEnabled() {
    Await.result(fx.users.create("alice", "alice-password", Role.OPERATOR));
    CreatedApiKey key = Await.result(fx.apiKeys.create("ci", Role.USER, "alice"));

    assertThat(Await.result(auth.authenticateApiKey(key.secret())).kind()).isEqualTo(Principal.Kind.API_KEY);
    assertThat(Await.failure(auth.authenticateApiKey("c32_nope")).code()).isEqualTo("invalid_api_key");

    Await.result(auth.updateUser("alice", new UserPatch(null, null, true)));
    assertThat(Await.failure(auth.authenticateApiKey(key.secret())).code()).isEqualTo("invalid_api_key");
  }

  @Test
  void apiKeyOfADeletedOwnerIsInvalid() {
    Await.result(fx.users.create("bob", "bob-password", Role.OPERATOR));
    CreatedApiKey key = Await.result(fx.apiKeys.create("ci", Role.VIEWER, "bob"));
    Await.result(auth.deleteUser("bob"));
    assertThat(Await.failure(auth.authenticateApiKey(key.secret())).code()).isEqualTo("invalid_api_key");
  }

  @Test
  void bootstrapAdminCanLogInWithTheWrittenPassword(@TempDir Path dataDir) {
    String password = Await.result(fx.users.bootstrapAdmin(null, dataDir));

    Principal admin = Await.result(auth.authenticateBearer(Await.result(auth.login("admin", password, IP)).accessToken()));

    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(admin.can(Permission.USERS_MANAGE)).isTrue();
  }
}
