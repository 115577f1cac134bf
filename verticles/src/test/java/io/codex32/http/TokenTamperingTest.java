package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Forged, altered, expired and replayed credentials are refused with 401 and a stable code. */
@Timeout(120)
class TokenTamperingTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void validTokenIsAccepted() {
    assertThat(gateway.get("/api/v1/bots", gateway.adminToken()).status()).isEqualTo(200);
  }

  @Test
  void tokenWithAlteredSignatureIsRefused() {
    String token = gateway.adminToken();
    String[] parts = token.split("\\.");
    char[] signature = parts[2].toCharArray();
    signature[5] = signature[5] == 'A' ? 'B' : 'A';
    assertRefused(parts[0] + "." + parts[1] + "." + new String(signature), "invalid_token");
  }

  @Test
  void viewerCannotPromoteItselfByEditingThePayload() {
    String token = gateway.tokenFor("eve", "viewer");
    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).put("role", "admin");
    String forged = parts[0] + "." + base64(payload.encode()) + "." + parts[2];
    assertRefused(forged, "invalid_token");
    assertThat(gateway.send("POST", "/api/v1/users", new JsonObject().put("username", "mallory").put("password", "password-1")
        .put("role", "admin"), forged).status()).isEqualTo(401);
  }

  @Test
  void unsignedTokenWithAlgNoneIsRefused() {
    String token = gateway.adminToken();
    String payload = token.split("\\.")[1];
    String header = base64(new JsonObject().put("alg", "none").put("typ", "JWT").encode());
    assertRefused(header + "." + payload + ".", "invalid_token");
  }

  @Test
  void tokenSignedWithAnotherKeyIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair other = generator.generateKeyPair();
    JWTAuth foreign = JWTAuth.create(gateway.vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", other.getPrivate().getEncoded())))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem("PUBLIC KEY", other.getPublic().getEncoded()))));
    String token = foreign.generateToken(new JsonObject().put("sub", "admin").put("role", "admin").put("iss", "codex32"),
        new JWTOptions().setAlgorithm("ES256").setExpiresInSeconds(300));
    assertRefused(token, "invalid_token");
  }

  @Test
  void expiredTokenSignedWithTheRealKeyIsRefused() throws Exception {
    Path keys = dataDir.resolve("keys");
    JWTAuth ours = JWTAuth.create(gateway.vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(Files.readString(keys.resolve("jwt-es256-private.pem"))))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(Files.readString(keys.resolve("jwt-es256-public.pem")))));
    JsonObject genuine = decodePayload(gateway.adminToken());
    long now = System.currentTimeMillis() / 1000;
    JsonObject expired = genuine.copy().put("iat", now - 3600).put("exp", now - 1800);
    String token = ours.generateToken(expired, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
    assertRefused(token, "token_expired");
  }

  @Test
  void reusedRefreshTokenRevokesTheWholeLogin() {
    JsonObject first = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    Response rotated = gateway.refresh(first.getString("refresh_token"));
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);

    Response replay = gateway.refresh(first.getString("refresh_token"));
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.errorCode()).isEqualTo("refresh_token_reused");

    Response descendant = gateway.send("POST", "/api/v1/auth/refresh",
        new JsonObject().put("refresh_token", rotated.json().getString("refresh_token")), null);
    assertThat(descendant.status()).isEqualTo(401);
    assertThat(gateway.get("/api/v1/bots", rotated.json().getString("access_token")).status()).isEqualTo(401);
  }

  @Test
  void logoutEndsTheSession() {
    JsonObject tokens = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    JsonObject refreshToken = new JsonObject().put("refresh_token", tokens.getString("refresh_token"));
    Response logout = gateway.send("POST", "/api/v1/auth/logout", refreshToken, null);
    assertThat(logout.status()).isEqualTo(204);
    assertThat(gateway.refresh(tokens.getString("refresh_token"))
        .status()).isEqualTo(401);
    assertThat(gateway.get("/api/v1/bots", tokens.getString("access_token")).status()).isEqualTo(401);
  }

  @Test
  void garbageCredentialsAreRefused() {
    assertRefused("not-a-jwt", "invalid_token");
    Response wrongScheme = gateway.send("GET", "/api/v1/bots", (String) null, java.util.Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));
    assertThat(wrongScheme.status()).isEqualTo(401);
    assertThat(wrongScheme.header("WWW-Authenticate")).startsWith("Bearer");
    Response badKey = gateway.send("GET", "/api/v1/bots", (String) null, java.util.Map.of("X-API-Key", "c32_000000000000_nope"));
    assertThat(badKey.status()).isEqualTo(401);
    assertThat(badKey.errorCode()).isEqualTo("invalid_api_key");
  }

  private void assertRefused(String token, String code) {
    Response response = gateway.get("/api/v1/bots", token);
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.errorCode()).isEqualTo(code);
  }

  private static JsonObject decodePayload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
