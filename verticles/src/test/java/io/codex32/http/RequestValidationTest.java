package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets the documented status and error code, and changes nothing. */
@Timeout(120)
class RequestValidationTest {

  @TempDir
  static Path dataDir;
  private static TestGateway gateway;
  private static String admin;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir, Map.of("CODEX32_HTTP_MAX_BODY_BYTES", "4096"));
    admin = gateway.adminToken();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject bot(String id) {
    return new JsonObject().put("id", id).put("command", List.of("python3", "bot.py"));
  }

  private static Response create(JsonObject body) {
    return gateway.send("POST", "/api/v1/bots", body, admin);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Upper", "-leading-dash", "has_underscore", "has space", "../etc", "",
      "a-very-long-id-that-goes-on-and-on-and-on-"
      + "beyond-sixty-three-characters"})
  void botIdsMustBeSlugs(String id) {
    Response response = create(bot(id));
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("validation_failed");
    assertThat(response.json().getJsonObject("error").getJsonArray("details")).isNotEmpty();
  }

  @Test
  void missingCommandIsNamed() {
    Response response = create(new JsonObject().put("id", "no-command"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("command");
  }

  @Test
  void unknownFieldsAreRejectedAndNamed() {
    Response response = create(bot("extra-field").put("colour", "blue"));
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("validation_failed");
    assertThat(response.body()).contains("colour");
    assertThat(gateway.get("/api/v1/bots/extra-field", admin).status()).isEqualTo(404);
  }

  @Test
  void unknownNestedFieldsAreRejected() {
    Response response = create(bot("nested-extra").put("restart", new JsonObject().put("policy", "always").put("retries", 3)));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("retries");
  }

  @Test
  void boundsAreEnforced() {
    assertThat(create(bot("too-many-args").put("command", java.util.Collections.nCopies(65, "x"))).status()).isEqualTo(400);
    assertThat(create(bot("bad-env").put("env", new JsonObject().put("1BAD", "x"))).status()).isEqualTo(400);
    for (String reserved : List.of("PATH", "HOME", "LD_PRELOAD", "CODEX32_BOT_TOKEN")) {
      assertThat(create(bot("reserved-env").put("env", new JsonObject().put(reserved, "x"))).status()).as(reserved).isEqualTo(400);
    }
    assertThat(create(bot("bad-policy").put("restart", new JsonObject().put("policy", "sometimes"))).status()).isEqualTo(400);
    assertThat(create(bot("long-name").put("name", "n".repeat(129))).status()).isEqualTo(400);
  }

  @Test
  void oversizedBodyGets413() {
    Response response = create(bot("big").put("description", "x".repeat(8000)));
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.errorCode()).isEqualTo("payload_too_large");
  }

  @Test
  void wrongContentTypeGets415() {
    Response response = gateway.send("POST", "/api/v1/bots", bot("form").encode(),
        Map.of("Authorization", "Bearer " + admin, "Content-Type", "text/plain"));
    assertThat(response.status()).isEqualTo(415);
    assertThat(response.errorCode()).isEqualTo("unsupported_media_type");
  }

  @Test
  void malformedJsonGets400() {
    Response response = gateway.send("POST", "/api/v1/bots", "{\"id\": \"broken\",", Map.of("Authorization", "Bearer " + admin));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorCode()).as(response.body()).isEqualTo("invalid_json");
  }

  @Test
  void duplicateIdGets409AndKeepsTheOriginal() {
    assertThat(create(bot("twin").put("name", "first")).status()).isEqualTo(201);
    Response second = create(bot("twin").put("name", "second"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.errorCode()).isEqualTo("bot_exists");
    assertThat(gateway.get("/api/v1/bots/twin", admin).json().getString("name")).isEqualTo("first");
  }

  @Test
  void badQueryParametersGet400() {
    assertThat(gateway.get("/api/v1/bots?limit=0", admin).status()).isEqualTo(400);
    assertThat(gateway.get("/api/v1/bots?limit=501", admin).status()).isEqualTo(400);
    assertThat(gateway.get("/api/v1/bots?status=dancing", admin).status()).isEqualTo(400);
  }

  @Test
  void unknownRoutesAndMethodsGetJsonErrors() {
    Response missing = gateway.get("/api/v1/nothing-here", admin);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("not_found");
    Response wrongMethod = gateway.send("PUT", "/api/v1/bots", bot("put").encode(), Map.of("Authorization", "Bearer " + admin));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errorCode()).isEqualTo("method_not_allowed");
  }

  @Test
  void weakOrInvalidUserInputIsRefused() {
    JsonObject weakUser = new JsonObject().put("username", "weak").put("password", "short").put("role", "viewer");
    Response weak = gateway.send("POST", "/api/v1/users", weakUser, admin);
    assertThat(weak.status()).isEqualTo(400);
    Response badRole = gateway.send("POST", "/api/v1/users",
        new JsonObject().put("username", "bad-role").put("password", "long-enough-1").put("role", "root"), admin);
    assertThat(badRole.status()).isEqualTo(400);
  }
}
