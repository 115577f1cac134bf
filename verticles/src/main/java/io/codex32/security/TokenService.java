package io.codex32.security;

import io.codex32.error.Codex32Exception;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short-lived ES256 access tokens and opaque rotating refresh tokens. A refresh token can be used
 * once; using it again revokes its whole family (every token descended from the same login).
 */
public final class TokenService {

  public static final String ISSUER = "codex32";
  public static final String ALGORITHM = "ES256";
  public static final String REFRESH_TOKENS = "refresh_tokens";
  public static final String FAMILIES = "token_families";
  /** The bots collection (BotRegistry.COLLECTION; security does not depend on the supervisor). */
  private static final String BOTS = "bots";
  /** Tolerated clock skew between the gateway that signs and a node that verifies. */
  public static final long LEEWAY_SECONDS = 5;
  /** Tokens whose signature is remembered; when full, the memory starts over. */
  private static final int VERIFIED_CACHE_SIZE = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
  private static final int REFRESH_TOKEN_BYTES = 32;
  private static final Pattern REFRESH_TOKEN = Pattern.compile("^[A-Za-z0-9_-]{43}$");
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final Vertx vertx;
  private final JwtKeys keys;
  private final DocumentStore store;
  private final UserService users;
  private final Clock clock;
  private final long accessTtlSeconds;
  private final long refreshTtlSeconds;
  private final JWTAuth jwt;

  private final Map<String, Boolean> verifiedSignatures = new ConcurrentHashMap<>();

  public TokenService(Vertx vertx, JwtKeys keys, DocumentStore store, UserService users, Clock clock,
      long accessTtlSeconds, long refreshTtlSeconds) {
    if (accessTtlSeconds <= 0 || refreshTtlSeconds <= 0) {
      throw new IllegalArgumentException("token lifetimes must be positive (access " + accessTtlSeconds + " s, refresh "
          + refreshTtlSeconds + " s)");
    }
    this.vertx = vertx;
    this.keys = keys;
    this.store = store;
    this.users = users;
    this.clock = clock;
    this.accessTtlSeconds = accessTtlSeconds;
    this.refreshTtlSeconds = refreshTtlSeconds;
    // exp is checked against the injected clock in claimsOf(); the library would use the system clock
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setIgnoreExpiration(true))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.publicKeyPem()));
    if (keys.canSign()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.privateKeyPem()));
    }
    this.jwt = JWTAuth.create(vertx, options);
  }

  /** A new login: a new refresh family with its first token pair. */
  public Future<TokenPair> issue(User user) {
    if (!keys.canSign()) {
      return Future.failedFuture(Codex32Exception.unavailable("token_signing_unavailable",
          "this node has no JWT private key and cannot issue tokens", null));
    }
    Instant now = clock.instant();
    String family = Secrets.randomHex(16);
    JsonObject body = new JsonObject()
        .put("username", user.username())
        .put("revoked", false)
        .put("created_at", now.toString())
        .put("expires_at", now.plusSeconds(refreshTtlSeconds).toString());
    return store.insert(FAMILIES, family, body).compose(doc -> newPair(user, family, now));
  }

  /** 401 {@code invalid_refresh_token}, or {@code refresh_token_reused} (family revoked). */
  public Future<TokenPair> refresh(String refreshToken) {
    if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches()) {
      return Future.failedFuture(invalidRefreshToken());
    }
    Instant now = clock.instant();
    return store.get(REFRESH_TOKENS, Secrets.sha256Hex(refreshToken))
        .compose(token -> token == null || isPast(token.body(), now)
            ? Future.failedFuture(invalidRefreshToken())
            : store.get(FAMILIES, token.body().getString("family")).map(family -> new RefreshState(token, family)))
        .compose(state -> state.reused() ? reuseDetected(state.familyId(), state.username()) : rotate(state, now));
  }

  /** Revokes the refresh token's family. Unknown tokens are ignored. */
  public Future<Void> revoke(String refreshToken) {
    if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches()) {
      return Future.succeededFuture();
    }
    return store.get(REFRESH_TOKENS, Secrets.sha256Hex(refreshToken))
        .compose(token -> token == null ? Future.succeededFuture() : revokeFamily(token.body().getString("family")));
  }

  /** Logs a user out everywhere (e.g. after a password change): revokes each of their live families. */
  public Future<Integer> revokeAll(String username) {
    return store.list(FAMILIES)
        .map(families -> families.stream()
            .filter(f -> username.equals(f.body().getString("username")) && !f.body().getBoolean("revoked", false))
            .map(Document::id)
            .toList())
        .compose(ids -> Future.all(ids.stream().map(this::revokeFamily).toList()).map(ids.size()));
  }

  /**
   * Deletes refresh tokens and families past their expiry (reuse detection needs nothing older).
   * Meant to run periodically; returns how many documents went.
   */
  public Future<Integer> purgeExpired() {
    Instant now = clock.instant();
    return purge(REFRESH_TOKENS, now).compose(tokens -> purge(FAMILIES, now).map(families -> tokens + families));
  }

  /** 401 {@code invalid_token} or {@code token_expired}; reflects the user's current role and state. */
  public Future<Principal> verifyAccessToken(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    // our own gate before the library: exactly one algorithm, so "none" and HS256 never reach a verifier
    if (parts.length != 3 || !ALGORITHM.equals(segment(parts[0]).getString("alg"))) {
      return Future.failedFuture(invalidToken());
    }
    return verifySignature(token)
        .compose(verified -> claimsOf(segment(parts[1])))
        .compose(this::requireLiveFamily)
        .compose(this::currentPrincipal);
  }

  private Future<TokenPair> rotate(RefreshState state, Instant now) {
    return users.get(state.username())
        .recover(e -> Future.failedFuture(UserService.isCode(e, "not_found") ? invalidRefreshToken() : e))
        .compose(user -> user.disabled() ? Future.failedFuture(invalidRefreshToken()) : markUsed(state, now).map(user))
        .compose(user -> extendFamily(state, now).map(user))
        .compose(user -> newPair(user, state.familyId(), now));
  }

  /** The compare-and-set that makes a refresh token single-use even when two requests race. */
  private Future<Void> markUsed(RefreshState state, Instant now) {
    JsonObject used = state.token().body().copy().put("used", true).put("used_at", now.toString());
    return store.update(REFRESH_TOKENS, state.token().id(), used, state.token().revision())
        .<Void>mapEmpty()
        .recover(e -> UserService.isCode(e, "revision_conflict")
            ? reuseDetected(state.familyId(), state.username())
            : Future.failedFuture(e));
  }

  /** Sliding expiry; revision-checked so it can never overwrite a concurrent revocation. */
  private Future<Void> extendFamily(RefreshState state, Instant now) {
    JsonObject extended = state.family().body().copy().put("expires_at", now.plusSeconds(refreshTtlSeconds).toString());
    return store.update(FAMILIES, state.familyId(), extended, state.family().revision())
        .<Void>mapEmpty()
        .recover(e -> UserService.isCode(e, "revision_conflict")
            ? reuseDetected(state.familyId(), state.username())
            : Future.failedFuture(e));
  }

  private <T> Future<T> reuseDetected(String family, String username) {
    LOG.warn("refresh token reuse for user '{}': revoking token family {}", username, family);
    return revokeFamily(family).compose(v -> Future.failedFuture(
        Codex32Exception.unauthorized("refresh_token_reused", "refresh token was already used; all sessions of this login are revoked")));
  }

  private Future<Void> revokeFamily(String family) {
    return store.get(FAMILIES, family).compose(doc -> {
      if (doc == null || doc.body().getBoolean("revoked", false)) {
        return Future.succeededFuture();
      }
      // unconditional: revocation must win over any concurrent write to the family
      JsonObject revoked = doc.body().copy().put("revoked", true).put("revoked_at", clock.instant().toString());
      return store.update(FAMILIES, family, revoked, -1).mapEmpty();
    });
  }

  private Future<TokenPair> newPair(User user, String family, Instant now) {
    String refreshToken = Secrets.randomBase64Url(REFRESH_TOKEN_BYTES);
    JsonObject body = new JsonObject()
        .put("family", family)
        .put("username", user.username())
        .put("created_at", now.toString())
        .put("expires_at", now.plusSeconds(refreshTtlSeconds).toString())
        .put("used", false);
    // only the digest is stored: a leaked store does not yield usable refresh tokens
    // signing is fast once warm, but its first run loads JSON and EC classes for hundreds of ms; logins are rare
    // enough that a worker hop costs nothing and keeps even a cold start off the event loop
    return store.insert(REFRESH_TOKENS, Secrets.sha256Hex(refreshToken), body)
        .compose(doc -> vertx.executeBlocking(() -> sign(user, family, now), false))
        .map(access -> new TokenPair(access, refreshToken, accessTtlSeconds));
  }

  /**
   * A token that names one bot, handed to its process as {@code CODEX32_BOT_TOKEN} so it can report
   * about itself. It has no login family, so it is never accepted as a user's access token.
   */
  public Future<String> issueBotToken(String botId, long ttlSeconds) {
    if (!keys.canSign()) {
      return Future.succeededFuture(null);
    }
    Instant now = clock.instant();
    JsonObject claims = new JsonObject()
        .put("sub", "bot:" + botId)
        .put("bot", botId)
        .put("typ", "bot")
        .put("jti", Secrets.randomHex(16))
        .put("iss", ISSUER)
        .put("iat", now.getEpochSecond())
        .put("exp", now.getEpochSecond() + ttlSeconds);
    return vertx.executeBlocking(() -> jwt.generateToken(claims, new JWTOptions().setAlgorithm(ALGORITHM).setNoTimestamp(true)), false);
  }

  /**
   * Checks a {@code CODEX32_BOT_TOKEN}: ES256 signature, issuer, {@code typ: bot}, not expired, and
   * its bot still exists and is not younger than the token (a deleted bot's token stays refused even
   * when a new bot takes the same id). Completes with the bot's principal; 401 {@code invalid_token},
   * {@code token_expired} or {@code token_revoked} otherwise.
   */
  public Future<Principal> verifyBotToken(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3 || !ALGORITHM.equals(segment(parts[0]).getString("alg"))) {
      return Future.failedFuture(invalidToken());
    }
    JsonObject payload = segment(parts[1]);
    Object exp = payload.getValue("exp");
    Object iat = payload.getValue("iat");
    String botId = stringClaim(payload, "bot");
    String jti = stringClaim(payload, "jti");
    if (!(exp instanceof Number) || !(iat instanceof Number) || botId == null || jti == null || payload.containsKey("fam")
        || !"bot".equals(payload.getValue("typ")) || !ISSUER.equals(payload.getValue("iss"))
        || !(Principal.BOT_PREFIX + botId).equals(payload.getValue("sub"))) {
      return Future.failedFuture(invalidToken());
    }
    return verifySignature(token).compose(verified -> {
      if (clock.instant().getEpochSecond() >= ((Number) exp).longValue() + LEEWAY_SECONDS) {
        return Future.failedFuture(Codex32Exception.unauthorized("token_expired", "bot token has expired"));
      }
      return store.get(BOTS, botId).compose(bot -> {
        String created = bot == null ? null : bot.body().getString("created_at");
        if (created == null || ((Number) iat).longValue() + LEEWAY_SECONDS < Instant.parse(created).getEpochSecond()) {
          return Future.failedFuture(tokenRevoked());
        }
        return Future.succeededFuture(Principal.bot(botId, jti));
      });
    });
  }

  /** Whether a bearer token claims to be a bot token (unverified: only picks which verification applies). */
  public static boolean looksLikeBotToken(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    return parts.length == 3 && "bot".equals(segment(parts[1]).getValue("typ"));
  }

  private String sign(User user, String family, Instant now) {
    JsonObject claims = new JsonObject()
        .put("sub", user.username())
        .put("role", user.role().wireName())
        .put("jti", Secrets.randomHex(16))
        .put("fam", family)
        .put("iss", ISSUER)
        .put("iat", now.getEpochSecond())
        .put("exp", now.getEpochSecond() + accessTtlSeconds);
    // noTimestamp: iat and exp above come from the injected clock, not the library's System clock
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm(ALGORITHM).setNoTimestamp(true));
  }

  /**
   * ECDSA verification costs about a millisecond of CPU; a client sends the same token with every
   * request until it expires, so a token whose signature checked out once is remembered (by its
   * exact text: any altered token is a different key and is verified afresh). Expiry, revocation
   * and the user's state are still checked on every request, against the store, so a revocation
   * made by another gateway instance sharing the store applies here at once: nothing of it is
   * cached, and live state (Redis) holds no revocations.
   */
  private Future<Void> verifySignature(String token) {
    if (verifiedSignatures.containsKey(token)) {
      return Future.succeededFuture();
    }
    return Future.<Void>succeededFuture()
        .compose(v -> jwt.authenticate(new TokenCredentials(token)))
        .recover(e -> Future.failedFuture(invalidToken()))
        .map(verified -> {
          if (verifiedSignatures.size() >= VERIFIED_CACHE_SIZE) {
            verifiedSignatures.clear();
          }
          verifiedSignatures.put(token, Boolean.TRUE);
          return null;
        });
  }

  private Future<AccessClaims> claimsOf(JsonObject payload) {
    Object exp = payload.getValue("exp");
    String subject = stringClaim(payload, "sub");
    String jti = stringClaim(payload, "jti");
    String family = stringClaim(payload, "fam");
    if (!(exp instanceof Number) || subject == null || jti == null || family == null || !ISSUER.equals(payload.getValue("iss"))) {
      return Future.failedFuture(invalidToken());
    }
    if (clock.instant().getEpochSecond() >= ((Number) exp).longValue() + LEEWAY_SECONDS) {
      return Future.failedFuture(Codex32Exception.unauthorized("token_expired", "access token has expired; refresh it"));
    }
    return Future.succeededFuture(new AccessClaims(subject, jti, family));
  }

  private Future<AccessClaims> requireLiveFamily(AccessClaims claims) {
    return store.get(FAMILIES, claims.family()).compose(family -> {
      if (family == null || family.body().getBoolean("revoked", false)) {
        return Future.failedFuture(tokenRevoked());
      }
      if (!claims.subject().equals(family.body().getString("username"))) {
        return Future.failedFuture(invalidToken());
      }
      return Future.succeededFuture(claims);
    });
  }

  /** The role comes from the user record, not the token, so demotions and disabling apply at once. */
  private Future<Principal> currentPrincipal(AccessClaims claims) {
    return users.get(claims.subject())
        .recover(e -> Future.failedFuture(UserService.isCode(e, "not_found") ? tokenRevoked() : e))
        .compose(user -> user.disabled()
            ? Future.failedFuture(tokenRevoked())
            : Future.succeededFuture(new Principal(user.username(), user.role(), Principal.Kind.USER, claims.jti())));
  }

  private Future<Integer> purge(String collection, Instant now) {
    return store.list(collection)
        .map(docs -> docs.stream().filter(doc -> isPast(doc.body(), now)).map(Document::id).toList())
        .compose(ids -> Future.all(ids.stream().map(id -> store.delete(collection, id)).toList()).map(ids.size()));
  }

  private static boolean isPast(JsonObject body, Instant now) {
    String expiresAt = body.getString("expires_at");
    return expiresAt == null || !now.isBefore(Instant.parse(expiresAt));
  }

  private static String stringClaim(JsonObject payload, String name) {
    Object value = payload.getValue(name);
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  /** A JWT segment as JSON; an empty object when it is not base64url JSON, which every check then rejects. */
  private static JsonObject segment(String part) {
    try {
      Object json = Json.decodeValue(new String(BASE64URL.decode(part), StandardCharsets.UTF_8));
      return json instanceof JsonObject object ? object : new JsonObject();
    } catch (RuntimeException e) {
      // bad base64 or bad JSON
      return new JsonObject();
    }
  }

  private static Codex32Exception invalidToken() {
    return Codex32Exception.unauthorized("invalid_token", "access token is invalid");
  }

  private static Codex32Exception tokenRevoked() {
    return Codex32Exception.unauthorized("token_revoked", "access token has been revoked");
  }

  private static Codex32Exception invalidRefreshToken() {
    return Codex32Exception.unauthorized("invalid_refresh_token", "refresh token is invalid or expired");
  }

  private record AccessClaims(String subject, String jti, String family) {
  }

  private record RefreshState(Document token, Document family) {

    String familyId() {
      return token.body().getString("family");
    }

    String username() {
      return token.body().getString("username");
    }

    /** Used before, or its family is gone or revoked: either way someone replays an old token. */
    boolean reused() {
      return token.body().getBoolean("used", false) || family == null || family.body().getBoolean("revoked", false);
    }
  }
}
