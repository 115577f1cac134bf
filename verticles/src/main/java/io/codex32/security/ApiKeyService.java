package io.codex32.security;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys for scripts and machines: shown once, stored hashed, role-scoped, revocable.
 *
 * <p>A key reads {@code c32_<id>_<secret>}: {@code id} (12 hex chars) finds the record,
 * {@code secret} is 32 random bytes. The record holds SHA-256 of the whole key. A fast hash is
 * right here, unlike for passwords: with 256 bits of entropy there is nothing to brute-force, and
 * bcrypt would cost every API request tens of milliseconds of CPU.
 */
public final class ApiKeyService {

  public static final String COLLECTION = "api_keys";
  public static final int MAX_NAME_LENGTH = 64;
  /** last_used_at is advisory: at most one write per key per interval instead of one per request. */
  public static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
  private static final String PREFIX = "c32_";
  private static final int SECRET_BYTES = 32;
  private static final Pattern KEY = Pattern.compile("^c32_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$");

  private final DocumentStore store;
  private final Clock clock;

  public ApiKeyService(Vertx vertx, DocumentStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Future<CreatedApiKey> create(String name, Role role, String owner) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      return Future.failedFuture(Codex32Exception.badRequest("invalid_name", "name must be 1-" + MAX_NAME_LENGTH + " characters"));
    }
    if (role == null) {
      return Future.failedFuture(Codex32Exception.badRequest("invalid_role", "role is required (admin, operator, user, viewer)"));
    }
    if (owner == null || owner.isBlank()) {
      return Future.failedFuture(Codex32Exception.badRequest("invalid_owner", "an API key needs an owner"));
    }
    return insertNew(name, role, owner, 3);
  }

  public Future<List<ApiKey>> list() {
    return store.list(COLLECTION).map(docs -> docs.stream().map(ApiKeyService::toApiKey).toList());
  }

  /** 404 when absent. */
  public Future<ApiKey> revoke(String id) {
    return store.get(COLLECTION, id).compose(doc -> {
      if (doc == null) {
        return Future.failedFuture(Codex32Exception.notFound("API key '" + id + "' not found"));
      }
      // unconditional write: a revocation must not lose a race against a last_used_at update
      return store.update(COLLECTION, id, doc.body().copy().put("revoked", true), -1).map(ApiKeyService::toApiKey);
    });
  }

  /** 401 {@code invalid_api_key} for unknown or revoked keys. */
  public Future<Principal> authenticate(String secret) {
    Matcher matcher = secret == null ? null : KEY.matcher(secret);
    if (matcher == null || !matcher.matches()) {
      return Future.failedFuture(invalidApiKey());
    }
    String id = matcher.group(1);
    return store.get(COLLECTION, id).compose(doc -> {
      if (doc == null
          || !Secrets.constantTimeEquals(Secrets.sha256Hex(secret), doc.body().getString("sha256", ""))
          || doc.body().getBoolean("revoked", false)) {
        return Future.failedFuture(invalidApiKey());
      }
      touch(doc);
      ApiKey key = toApiKey(doc);
      return Future.succeededFuture(new Principal(key.owner(), key.role(), Principal.Kind.API_KEY, key.id()));
    });
  }

  private Future<CreatedApiKey> insertNew(String name, Role role, String owner, int attemptsLeft) {
    String id = Secrets.randomHex(6);
    String secret = PREFIX + id + "_" + Secrets.randomBase64Url(SECRET_BYTES);
    JsonObject body = new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("role", role.wireName())
        .put("owner", owner)
        .put("sha256", Secrets.sha256Hex(secret))
        .put("created_at", clock.instant().toString())
        .putNull("last_used_at")
        .put("revoked", false);
    return store.insert(COLLECTION, id, body)
        .map(doc -> new CreatedApiKey(toApiKey(doc), secret))
        // 48-bit ids collide only by freak chance; a fresh id is the whole remedy
        .recover(e -> attemptsLeft > 1 && UserService.isCode(e, "already_exists")
            ? insertNew(name, role, owner, attemptsLeft - 1)
            : Future.failedFuture(e));
  }

  /**
   * Records use without delaying the request. The stored timestamp is the throttle, so no per-key
   * state is kept in memory; the revision check drops concurrent duplicates and never undoes a revocation.
   */
  private void touch(Document doc) {
    Instant now = clock.instant();
    String lastUsed = doc.body().getString("last_used_at");
    if (lastUsed != null && Instant.parse(lastUsed).plus(LAST_USED_RESOLUTION).isAfter(now)) {
      return;
    }
    store.update(COLLECTION, doc.id(), doc.body().copy().put("last_used_at", now.toString()), doc.revision())
        .onFailure(e -> {
          if (!UserService.isCode(e, "revision_conflict")) {
            LOG.warn("could not record use of API key {}: {}", doc.id(), e.getMessage());
          }
        });
  }

  private static ApiKey toApiKey(Document doc) {
    JsonObject body = doc.body();
    String lastUsed = body.getString("last_used_at");
    return new ApiKey(doc.id(), body.getString("name"), Role.parse(body.getString("role")), body.getString("owner"),
        Instant.parse(body.getString("created_at")), lastUsed == null ? null : Instant.parse(lastUsed), body.getBoolean("revoked", false));
  }

  static Codex32Exception invalidApiKey() {
    return Codex32Exception.unauthorized("invalid_api_key", "API key is invalid or revoked");
  }
}
