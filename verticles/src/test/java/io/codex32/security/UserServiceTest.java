package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.test.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserServiceTest {

  private final SecurityFixture fx = new SecurityFixture();
  private final UserService users = fx.users;

  @TempDir
  Path dataDir;

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void createStoresBcryptHashAndPublicFieldsOnly() {
    User created = fx.user("alice", "s3cret-pass", Role.OPERATOR);

    assertThat(created.username()).isEqualTo("alice");
    assertThat(created.role()).isEqualTo(Role.OPERATOR);
    assertThat(created.disabled()).isFalse();
    assertThat(created.toJson().fieldNames()).doesNotContain("password_hash");
    Document doc = Await.result(fx.store.get(UserService.COLLECTION, "alice"));
    assertThat(doc.body().getString("role")).isEqualTo("operator");
    assertThat(doc.body().getString("password_hash")).startsWith("$2a$04$").doesNotContain("s3cret-pass");
    assertThat(Await.result(users.get("alice"))).isEqualTo(created);
    assertThat(Await.result(users.list())).containsExactly(created);
  }

  @Test
  void duplicateUsernameIsConflict() {
    fx.user("alice", "s3cret-pass", Role.VIEWER);

    Codex32Exception e = Await.failure(users.create("alice", "other-pass", Role.ADMIN));

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.code()).isEqualTo("already_exists");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Alice", ".alice", "-x", "a b", "a/b", "abcdefghijklmnopqrstuvwxyz0123456", "émile"})
  void invalidUsernameIsRejected(String username) {
    Codex32Exception e = Await.failure(users.create(username, "s3cret-pass", Role.VIEWER));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("invalid_username");
  }

  @Test
  void boundaryUsernamesAreAccepted() {
    fx.user("a", "s3cret-pass", Role.VIEWER);
    fx.user("abcdefghijklmnopqrstuvwxyz012345", "s3cret-pass", Role.VIEWER);
    fx.user("bot.runner_2-x", "s3cret-pass", Role.VIEWER);
  }

  @Test
  void weakAndOverlongPasswordsAreRejected() {
    assertThat(Await.failure(users.create("alice", "short12", Role.VIEWER)).code()).isEqualTo("weak_password");
    assertThat(Await.failure(users.create("alice", null, Role.VIEWER)).code()).isEqualTo("weak_password");
    assertThat(Await.failure(users.create("alice", "x".repeat(73), Role.VIEWER)).code()).isEqualTo("password_too_long");
    assertThat(Await.failure(users.update("missing", new UserPatch("short", null, null))).code()).isEqualTo("weak_password");
  }

  @Test
  void unknownUserWrongPasswordAndDisabledAccountFailIdentically() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);
    fx.user("bob", "bob-password", Role.VIEWER);
    Await.result(users.update("bob", new UserPatch(null, null, true)));

    Codex32Exception wrong = Await.failure(users.verifyPassword("alice", "wrong-pass"));
    Codex32Exception unknown = Await.failure(users.verifyPassword("nobody", "wrong-pass"));
    Codex32Exception malformed = Await.failure(users.verifyPassword("Not A Name", "wrong-pass"));
    Codex32Exception disabled = Await.failure(users.verifyPassword("bob", "bob-password"));

    for (Codex32Exception e : new Codex32Exception[] {wrong, unknown, malformed, disabled}) {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.code()).isEqualTo("invalid_credentials");
      assertThat(e.getMessage()).isEqualTo(wrong.getMessage());
    }
    assertThat(Await.result(users.verifyPassword("alice", "s3cret-pass")).username()).isEqualTo("alice");
  }

  @Test
  void passwordChangeReplacesTheOldPassword() {
    fx.user("alice", "s3cret-pass", Role.OPERATOR);

    Await.result(users.update("alice", new UserPatch("new-password", null, null)));

    assertThat(Await.failure(users.verifyPassword("alice", "s3cret-pass")).code()).isEqualTo("invalid_credentials");
    assertThat(Await.result(users.verifyPassword("alice", "new-password")).role()).isEqualTo(Role.OPERATOR);
  }

  @Test
  void missingUserIsNotFound() {
    assertThat(Await.failure(users.get("ghost")).status()).isEqualTo(404);
    assertThat(Await.failure(users.update("ghost", new UserPatch(null, Role.ADMIN, null))).status()).isEqualTo(404);
    assertThat(Await.failure(users.delete("ghost")).status()).isEqualTo(404);
  }

  @Test
  void lastEnabledAdminCannotBeDemotedDisabledOrDeleted() {
    fx.user("root", "root-password", Role.ADMIN);
    fx.user("ops", "ops-password", Role.OPERATOR);

    assertLastAdmin(Await.failure(users.update("root", new UserPatch(null, Role.OPERATOR, null))));
    assertLastAdmin(Await.failure(users.update("root", new UserPatch(null, null, true))));
    assertLastAdmin(Await.failure(users.delete("root")));
    Await.result(users.update("root", new UserPatch("root-password-2", Role.ADMIN, false)));

    // a disabled admin does not count as the spare
    Await.result(users.update("ops", new UserPatch(null, Role.ADMIN, true)));
    assertLastAdmin(Await.failure(users.delete("root")));

    Await.result(users.update("ops", new UserPatch(null, null, false)));
    Await.result(users.update("root", new UserPatch(null, Role.VIEWER, null)));
    assertThat(Await.result(users.get("root")).role()).isEqualTo(Role.VIEWER);
    assertLastAdmin(Await.failure(users.delete("ops")));
    Await.result(users.delete("root"));
    assertThat(Await.result(users.list())).extracting(User::username).containsExactly("ops");
  }

  @Test
  void bootstrapWritesGeneratedPasswordOnceOwnerOnly() throws IOException {
    String password = Await.result(users.bootstrapAdmin(null, dataDir));

    Path file = dataDir.resolve(UserService.INITIAL_PASSWORD_FILE);
    assertThat(password).hasSize(24).matches("[A-Za-z0-9_-]+");
    assertThat(Files.readString(file).strip()).isEqualTo(password);
    if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    User admin = Await.result(users.verifyPassword("admin", password));
    assertThat(admin.role()).isEqualTo(Role.ADMIN);

    assertThat(Await.result(users.bootstrapAdmin(null, dataDir))).as("users exist").isNull();
    assertThat(Await.result(users.bootstrapAdmin("configured-pass", dataDir))).isNull();
    assertThat(Files.readString(file).strip()).isEqualTo(password);
  }

  @Test
  void bootstrapNeverOverwritesAnExistingPasswordFile() throws IOException {
    Path file = Files.writeString(dataDir.resolve(UserService.INITIAL_PASSWORD_FILE), "left-by-a-crashed-start\n");

    String password = Await.result(users.bootstrapAdmin(null, dataDir));

    assertThat(password).isEqualTo("left-by-a-crashed-start");
    assertThat(Files.readString(file)).isEqualTo("left-by-a-crashed-start\n");
    assertThat(Await.result(users.verifyPassword("admin", password)).role()).isEqualTo(Role.ADMIN);
  }

  @Test
  void bootstrapWithConfiguredPasswordWritesNoFile() {
    String password = Await.result(users.bootstrapAdmin("configured-pass", dataDir));

    assertThat(password).isEqualTo("configured-pass");
    assertThat(dataDir.resolve(UserService.INITIAL_PASSWORD_FILE)).doesNotExist();
    assertThat(Await.result(users.verifyPassword("admin", "configured-pass")).role()).isEqualTo(Role.ADMIN);
  }

  @Test
  void bootstrapDoesNothingWhenUsersExist() {
    fx.user("alice", "s3cret-pass", Role.ADMIN);

    assertThat(Await.result(users.bootstrapAdmin(null, dataDir))).isNull();
    assertThat(dataDir.resolve(UserService.INITIAL_PASSWORD_FILE)).doesNotExist();
    assertThat(Await.failure(users.get("admin")).status()).isEqualTo(404);
  }

  private static void assertLastAdmin(Codex32Exception e) {
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.code()).isEqualTo("last_admin");
  }
}
