package io.codex32.security;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Users: CRUD for admins, password checks for login, and the first admin at first start. */
public final class UserService {

  public static final String COLLECTION = "users";
  public static final String BOOTSTRAP_ADMIN = "admin";
  public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
  public static final int MIN_PASSWORD_LENGTH = 8;

  private static final Logger LOG = LoggerFactory.getLogger(UserService.class);
  private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,31}$");
  /** Serialises changes that could remove the last enabled admin; cluster-wide when Vert.x is clustered. */
  private static final String ADMIN_GUARD_LOCK = "codex32.security.users.admin-guard";
  private static final long LOCK_TIMEOUT_MS = 10_000;
  private static final String INVALID_CREDENTIALS = "invalid username or password";

  private final Vertx vertx;
  private final DocumentStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  /** Hash compared against for unknown users, so they cost the same bcrypt time as known ones. */
  private volatile String dummyHash;

  public UserService(Vertx vertx, DocumentStore store, PasswordHasher hasher, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** 409 {@code already_exists} when taken. */
  public Future<User> create(String username, String password, Role role) {
    try {
      requireValidUsername(username);
      requireAcceptablePassword(password);
      requireRole(role);
    } catch (Codex32Exception e) {
      return Future.failedFuture(e);
    }
    String now = clock.instant().toString();
    return hash(password)
        .map(hash -> new JsonObject()
            .put("username", username)
            .put("role", role.wireName())
            .put("disabled", false)
            .put("password_hash", hash)
            .put("created_at", now)
            .put("updated_at", now))
        .compose(body -> store.insert(COLLECTION, username, body))
        .recover(e -> Future.failedFuture(isCode(e, "already_exists")
            ? Codex32Exception.conflict("already_exists", "user '" + username + "' already exists")
            : e))
        .map(UserService::toUser);
  }

  public Future<List<User>> list() {
    return store.list(COLLECTION).map(docs -> docs.stream().map(UserService::toUser).toList());
  }

  /** 404 when absent. */
  public Future<User> get(String username) {
    return requireDocument(username).map(UserService::toUser);
  }

  /** 404 when absent; 409 {@code last_admin} when it would leave no enabled admin. */
  public Future<User> update(String username, UserPatch patch) {
    try {
      if (patch.password() != null) {
        requireAcceptablePassword(patch.password());
      }
    } catch (Codex32Exception e) {
      return Future.failedFuture(e);
    }
    return vertx.sharedData().withLock(ADMIN_GUARD_LOCK, LOCK_TIMEOUT_MS, () -> requireDocument(username)
        .compose(doc -> guardLastAdmin(doc, patch.role(), patch.disabled(), false).map(doc))
        .compose(doc -> hashIfPresent(patch.password()).compose(hash -> store.update(COLLECTION, username, patched(doc, patch, hash),
            doc.revision())))
        .map(UserService::toUser));
  }

  /** 404 when absent; 409 {@code last_admin} when it would leave no enabled admin. */
  public Future<Void> delete(String username) {
    return vertx.sharedData().withLock(ADMIN_GUARD_LOCK, LOCK_TIMEOUT_MS, () -> requireDocument(username)
        .compose(doc -> guardLastAdmin(doc, null, null, true))
        .compose(v -> store.delete(COLLECTION, username))
        .mapEmpty());
  }

  /** The user if the password matches and the account is enabled; 401 {@code invalid_credentials} otherwise. */
  public Future<User> verifyPassword(String username, String password) {
    // malformed names are never stored: skip the lookup but still pay for one bcrypt comparison
    Future<Document> lookup = username != null && USERNAME.matcher(username).matches()
        ? store.get(COLLECTION, username)
        : Future.succeededFuture(null);
    return lookup
        .compose(doc -> vertx.executeBlocking(() -> checkPassword(doc, password), false))
        .compose(user -> user != null
            ? Future.succeededFuture(user)
            : Future.failedFuture(Codex32Exception.unauthorized("invalid_credentials", INVALID_CREDENTIALS)));
  }

  /**
   * Creates user {@code admin} when no user exists yet. With a configured password it is used;
   * otherwise a generated one is written once to {@code <dataDir>/initial-admin-password} and
   * returned. Returns {@code null} when users already existed.
   *
   * <p>With a configured password that password is returned (non-null means "admin was created");
   * callers must not log it. If the password file already exists (a start that crashed before
   * creating the user) its content is reused, never overwritten.
   */
  public Future<String> bootstrapAdmin(String configuredPassword, Path dataDir) {
    return store.list(COLLECTION).compose(docs -> {
      if (!docs.isEmpty()) {
        return Future.succeededFuture(null);
      }
      boolean configured = configuredPassword != null && !configuredPassword.isEmpty();
      Path file = dataDir.resolve(INITIAL_PASSWORD_FILE);
      Future<String> password = configured
          ? Future.succeededFuture(configuredPassword)
          : vertx.executeBlocking(() -> initialPassword(file), false);
      return password.compose(pw -> create(BOOTSTRAP_ADMIN, pw, Role.ADMIN)
          .onSuccess(admin -> LOG.warn(configured
              ? "created user '{}' with the configured password"
              : "created user '{}'; its generated password is in {} - change it after the first login", BOOTSTRAP_ADMIN, file))
          .map(pw)
          // another instance bootstrapped at the same moment
          .recover(e -> isCode(e, "already_exists") ? Future.succeededFuture(null) : Future.failedFuture(e)));
    });
  }

  static void requireValidUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw Codex32Exception.badRequest("invalid_username",
          "username must be 1-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static void requireAcceptablePassword(String password) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
      throw Codex32Exception.badRequest("weak_password", "password must be at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    PasswordHasher.checkLength(password);
  }

  private static void requireRole(Role role) {
    if (role == null) {
      throw Codex32Exception.badRequest("invalid_role", "role is required (admin, operator, user, viewer)");
    }
  }

  private Future<Document> requireDocument(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      return Future.failedFuture(Codex32Exception.notFound("user '" + username + "' not found"));
    }
    return store.get(COLLECTION, username).compose(doc -> doc != null
        ? Future.succeededFuture(doc)
        : Future.failedFuture(Codex32Exception.notFound("user '" + username + "' not found")));
  }

  /** Fails with 409 {@code last_admin} if the change turns the last enabled admin into something else. */
  private Future<Void> guardLastAdmin(Document doc, Role newRole, Boolean newDisabled, boolean removing) {
    User current = toUser(doc);
    boolean enabledAdminNow = current.role() == Role.ADMIN && !current.disabled();
    boolean enabledAdminAfter = !removing
        && (newRole == null ? current.role() : newRole) == Role.ADMIN
        && !(newDisabled == null ? current.disabled() : newDisabled);
    if (!enabledAdminNow || enabledAdminAfter) {
      return Future.succeededFuture();
    }
    return list().compose(users -> users.stream()
        .anyMatch(u -> !u.username().equals(current.username()) && u.role() == Role.ADMIN && !u.disabled())
        ? Future.succeededFuture()
        : Future.failedFuture(Codex32Exception.conflict("last_admin",
            "'" + current.username() + "' is the last enabled admin; promote or enable another admin first")));
  }

  private JsonObject patched(Document doc, UserPatch patch, String newHash) {
    JsonObject body = doc.body().copy();
    if (newHash != null) {
      body.put("password_hash", newHash);
    }
    if (patch.role() != null) {
      body.put("role", patch.role().wireName());
    }
    if (patch.disabled() != null) {
      body.put("disabled", patch.disabled());
    }
    return body.put("updated_at", clock.instant().toString());
  }

  private Future<String> hash(String password) {
    // unordered: concurrent logins from one event loop must not queue behind each other's bcrypt
    return vertx.executeBlocking(() -> hasher.hash(password), false);
  }

  private Future<String> hashIfPresent(String password) {
    return password == null ? Future.succeededFuture(null) : hash(password);
  }

  /** Worker thread. Always runs exactly one bcrypt comparison, whichever way it ends. */
  private User checkPassword(Document doc, String password) {
    String hash = doc == null ? dummyHash() : doc.body().getString("password_hash");
    boolean matches = hasher.verify(password, hash);
    if (doc == null || !matches) {
      return null;
    }
    User user = toUser(doc);
    return user.disabled() ? null : user;
  }

  private String dummyHash() {
    String hash = dummyHash;
    if (hash == null) {
      hash = hasher.hash(Secrets.randomBase64Url(18));
      dummyHash = hash;
    }
    return hash;
  }

  /** Worker thread. Reuses an existing file so a password once shown is never replaced. */
  private static String initialPassword(Path file) throws IOException {
    if (Files.exists(file)) {
      return readInitialPassword(file);
    }
    String password = Secrets.randomBase64Url(18);
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try {
      // CREATE_NEW: never overwrite, even if another process created it a moment ago
      Files.createFile(file, ownerOnly);
    } catch (FileAlreadyExistsException e) {
      return readInitialPassword(file);
    }
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    return password;
  }

  private static String readInitialPassword(Path file) throws IOException {
    String password = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw new IllegalStateException(file + " exists but holds no usable password; delete it to generate a new one");
    }
    return password;
  }

  static boolean isCode(Throwable e, String code) {
    return e instanceof Codex32Exception c && code.equals(c.code());
  }

  static User toUser(Document doc) {
    JsonObject body = doc.body();
    return new User(body.getString("username", doc.id()), Role.parse(body.getString("role")), body.getBoolean("disabled", false),
        Instant.parse(body.getString("created_at")), Instant.parse(body.getString("updated_at")));
  }
}
