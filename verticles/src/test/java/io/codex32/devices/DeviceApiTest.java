package io.codex32.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The devices REST API on a real gateway: the secret is shown once, stored hashed, rotatable; commands queue and expire. */
@Timeout(60)
class DeviceApiTest {

  private static TestGateway gateway;
  private static String admin;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-devices"));
    admin = gateway.adminToken();
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @Test
  void secretIsShownOnceAndStoredOnlyAsAHash() throws Exception {
    Response created = gateway.send("POST", "/api/v1/devices",
        new JsonObject().put("id", "greenhouse-1").put("labels", new JsonObject().put("room", "greenhouse")), admin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.json().getString("secret");
    assertThat(secret).startsWith("d32_").hasSize(4 + 43);
    assertThat(created.header("Location")).isEqualTo("/api/v1/devices/greenhouse-1");

    Response got = gateway.get("/api/v1/devices/greenhouse-1", admin);
    assertThat(got.json().containsKey("secret")).isFalse();
    assertThat(got.json().getBoolean("online")).isFalse();
    assertThat(got.json().getJsonObject("labels").getString("room")).isEqualTo("greenhouse");
    assertThat(gateway.get("/api/v1/devices", admin).body()).doesNotContain(secret);
    // an acknowledged write is in the journal already: the secret must not be
    String journal = Files.readString(gateway.dataDir().resolve("store").resolve("journal"), StandardCharsets.ISO_8859_1);
    assertThat(journal).contains("greenhouse-1").doesNotContain(secret.substring(4));
  }

  @Test
  void patchRotateAndDelete() {
    String secret = gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "pump-7"), admin).json().getString("secret");
    Response patched = gateway.send("PATCH", "/api/v1/devices/pump-7",
        new JsonObject().put("enabled", false).put("labels", new JsonObject().put("zone", "b")), admin);
    assertThat(patched.json().getBoolean("enabled")).isFalse();
    assertThat(patched.json().getJsonObject("labels").getString("zone")).isEqualTo("b");

    Response rotated = gateway.post("/api/v1/devices/pump-7/secret", admin);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().getString("secret")).isNotEqualTo(secret);

    assertThat(gateway.delete("/api/v1/devices/pump-7", admin).status()).isEqualTo(204);
    assertThat(gateway.get("/api/v1/devices/pump-7", admin).status()).isEqualTo(404);
    assertThat(gateway.delete("/api/v1/devices/pump-7", admin).status()).isEqualTo(404);
  }

  @Test
  void duplicateIdIsAConflictAndUnknownDevicesAre404() {
    assertThat(gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "twin"), admin).status()).isEqualTo(201);
    assertThat(gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "twin"), admin).status()).isEqualTo(409);
    Response command = gateway.send("POST", "/api/v1/devices/nobody/commands", new JsonObject().put("name", "x"), admin);
    assertThat(command.status()).isEqualTo(404);
    assertThat(gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "Not Valid"), admin).status()).isEqualTo(400);
  }

  @Test
  void commandsForAnOfflineDeviceStayQueuedUntilTheirTtlRunsOut() throws Exception {
    gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", "sleepy"), admin);
    Response sent = gateway.send("POST", "/api/v1/devices/sleepy/commands",
        new JsonObject().put("name", "wake").put("payload", new JsonObject().put("at", "now")).put("ttl_s", 1), admin);
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    assertThat(sent.json().getString("status")).isEqualTo("queued");
    String path = "/api/v1/devices/sleepy/commands/" + sent.json().getString("id");
    String status = Await.until(() -> gateway.get(path, admin).json().getString("status"), "expired"::equals, "the command expiring");
    assertThat(status).isEqualTo("expired");
    assertThat(gateway.get("/api/v1/devices/sleepy/commands", admin).json().getJsonArray("items")).hasSize(1);
  }
}
