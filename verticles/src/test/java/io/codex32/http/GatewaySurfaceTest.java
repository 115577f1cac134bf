package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What every client sees around the API: headers, health, metrics, documentation, audit and throttling. */
@Timeout(120)
class GatewaySurfaceTest {

  @TempDir
  static Path dataDir;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir, Map.of("CODEX32_AUTH_LOGIN_MAX_FAILURES", "3"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndARequestId() {
    for (String path : List.of("/api/v1/bots", "/health", "/", "/api/v1/missing")) {
      Response response = gateway.get(path, null);
      assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.header("Content-Security-Policy")).as(path).contains("default-src 'self'").doesNotContain("unsafe-inline");
      assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
      assertThat(response.header("Permissions-Policy")).as(path).isNotBlank();
      assertThat(response.header("X-Request-Id")).as(path).isNotBlank();
    }
    assertThat(gateway.get("/api/v1/bots", null).header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void aClientRequestIdIsEchoed() {
    Response response = gateway.send("GET", "/health", (String) null, Map.of("X-Request-Id", "trace-42"));
    assertThat(response.header("X-Request-Id")).isEqualTo("trace-42");
  }

  @Test
  void healthEndpointsReport() {
    assertThat(gateway.get("/health", null).json().getString("status")).isEqualTo("up");
    Response ready = gateway.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("components").getJsonObject("store").getString("status")).isEqualTo("up");
    assertThat(gateway.get("/health/detailed", null).json().getJsonObject("jvm").getInteger("processors")).isPositive();
    io.vertx.core.json.JsonObject voice = gateway.get("/health/detailed", null).json().getJsonObject("components").getJsonObject("voice");
    assertThat(voice.getString("node")).as("the gateway's own node answered its voice status").isEqualTo("local");
    assertThat(voice.getString("engine")).isIn("pocketsphinx", "vosk", "off");
  }

  @Test
  void prometheusMetricsCoverHttpJvmAndTheGatewaysOwnCounters() {
    gateway.get("/api/v1/bots", gateway.adminToken());
    gateway.get("/api/v1/bots", null);
    Response metrics = gateway.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes")
        .contains("codex32_api_mutations_total{operation=\"login\",outcome=\"success\"}")
        .contains("codex32_api_errors_total{code=\"unauthenticated\",status=\"401\"}");
  }

  @Test
  void openApiDocumentAndSwaggerUiAreServedFromTheJar() {
    Response yaml = gateway.get("/openapi.yaml", null);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.body()).contains("openapi: 3.1.0").contains("operationId: createBot");
    Response docs = gateway.get("/docs/", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("swagger-ui-bundle.js");
    Response bundle = gateway.get("/docs/swagger-ui/swagger-ui-bundle.js", null);
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.body().length()).isGreaterThan(100_000);
  }

  @Test
  void loginIsThrottledPerUserWithRetryAfter() {
    gateway.tokenFor("victim", "viewer");
    for (int i = 0; i < 3; i++) {
      Response wrong = gateway.attemptLogin("victim", "wrong-" + i);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.errorCode()).isEqualTo("invalid_credentials");
    }
    Response throttled = gateway.attemptLogin("victim", "victim-password");
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.errorCode()).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
  }

  @Test
  void unknownUserAndWrongPasswordLookTheSame() {
    Response unknown = gateway.attemptLogin("nobody", "whatever-1");
    Response wrong = gateway.attemptLogin("admin", "whatever-1");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json()).isEqualTo(wrong.json());
  }

  @Test
  void mutatingRequestsAndLoginsAreAuditedInAnIntactChain() {
    String admin = gateway.adminToken();
    gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", "audited").put("command", List.of("python3", "a.py"))
        .put("placement", new JsonObject().put("node", "elsewhere")), admin);
    gateway.post("/api/v1/bots/audited/start", admin);
    gateway.attemptLogin("admin", "not-it-at-all");
    String viewer = gateway.tokenFor("auditor-viewer", "viewer");
    gateway.delete("/api/v1/bots/audited", viewer);

    JsonArray items = gateway.get("/api/v1/audit?limit=500", admin).json().getJsonArray("items");
    assertThat(items.stream().map(JsonObject.class::cast)).anySatisfy(r -> {
      assertThat(r.getString("action")).isEqualTo("createBot");
      assertThat(r.getString("actor")).isEqualTo("admin");
      assertThat(r.getString("target")).isEqualTo("audited");
      assertThat(r.getString("result")).isEqualTo("success");
      assertThat(r.getString("source_ip")).isEqualTo("127.0.0.1");
      assertThat(r.getString("request_id")).isNotBlank();
    }).anySatisfy(r -> {
      assertThat(r.getString("action")).isEqualTo("login");
      assertThat(r.getString("actor")).isEqualTo("admin");
      assertThat(r.getString("result")).isEqualTo("denied:invalid_credentials");
    }).anySatisfy(r -> {
      assertThat(r.getString("action")).isEqualTo("deleteBot");
      assertThat(r.getString("actor")).isEqualTo("auditor-viewer");
      assertThat(r.getString("result")).isEqualTo("denied:forbidden");
    });
    JsonObject filtered = gateway.get("/api/v1/audit?action=startBot", admin).json();
    assertThat(filtered.getInteger("total")).isEqualTo(1);

    JsonObject verification = gateway.get("/api/v1/audit/verify", admin).json();
    assertThat(verification.getBoolean("intact")).isTrue();
    assertThat(verification.getInteger("records")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void adminManagesUsersAndApiKeys() {
    String admin = gateway.adminToken();
    Response created = gateway.send("POST", "/api/v1/users",
        new JsonObject().put("username", "ops-anna").put("password", "anna-password").put("role", "operator"), admin);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("password");
    assertThat(gateway.send("PATCH", "/api/v1/users/ops-anna", new JsonObject().put("role", "viewer"), admin).json().getString("role"))
        .isEqualTo("viewer");
    String annaToken = gateway.login("ops-anna", "anna-password").getString("access_token");
    JsonObject bot = new JsonObject().put("id", "anna-bot").put("command", List.of("x"));
    assertThat(gateway.send("POST", "/api/v1/bots", bot, annaToken).status())
        .isEqualTo(403);

    Response key = gateway.send("POST", "/api/v1/api-keys", new JsonObject().put("name", "ci").put("role", "operator"), admin);
    assertThat(key.status()).isEqualTo(201);
    String secret = key.json().getString("key");
    assertThat(gateway.get("/api/v1/api-keys", admin).body()).doesNotContain(secret);
    Map<String, String> withKey = Map.of("X-API-Key", secret);
    assertThat(gateway.send("GET", "/api/v1/bots", (String) null, withKey).status()).isEqualTo(200);
    assertThat(gateway.delete("/api/v1/api-keys/" + key.json().getString("id"), admin).status()).isEqualTo(204);
    assertThat(gateway.send("GET", "/api/v1/bots", (String) null, withKey).status()).isEqualTo(401);

    Response lastAdmin = gateway.delete("/api/v1/users/admin", admin);
    assertThat(lastAdmin.status()).isEqualTo(409);
    assertThat(lastAdmin.errorCode()).isEqualTo("last_admin");
  }

  @Test
  void disablingAUserEndsItsSessionsAndItsApiKeys() {
    String admin = gateway.adminToken();
    gateway.createUser("leaver", "leaver-password", "admin", admin);
    JsonObject session = gateway.login("leaver", "leaver-password");
    Response key = gateway.send("POST", "/api/v1/api-keys", new JsonObject().put("name", "leaver key").put("role", "viewer"),
        session.getString("access_token"));
    Map<String, String> withKey = Map.of("X-API-Key", key.json().getString("key"));
    assertThat(gateway.send("GET", "/api/v1/bots", (String) null, withKey).status()).isEqualTo(200);

    assertThat(gateway.send("PATCH", "/api/v1/users/leaver", new JsonObject().put("disabled", true), admin).status()).isEqualTo(200);

    assertThat(gateway.get("/api/v1/bots", session.getString("access_token")).status()).isEqualTo(401);
    assertThat(gateway.refresh(session.getString("refresh_token")).status()).isEqualTo(401);
    Response keyAfter = gateway.send("GET", "/api/v1/bots", (String) null, withKey);
    assertThat(keyAfter.status()).isEqualTo(401);
    assertThat(keyAfter.errorCode()).isEqualTo("invalid_api_key");
  }

  @Test
  void changingAPasswordEndsExistingSessions() {
    String admin = gateway.adminToken();
    gateway.createUser("rotator", "first-password", "viewer", admin);
    JsonObject old = gateway.login("rotator", "first-password");
    assertThat(gateway.send("PATCH", "/api/v1/users/rotator", new JsonObject().put("password", "second-password"), admin).status())
        .isEqualTo(200);
    assertThat(gateway.refresh(old.getString("refresh_token")).status()).isEqualTo(401);
    assertThat(gateway.attemptLogin("rotator", "first-password").status()).isEqualTo(401);
    assertThat(gateway.attemptLogin("rotator", "second-password").status()).isEqualTo(200);
  }
}
