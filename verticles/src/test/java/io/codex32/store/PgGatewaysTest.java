package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.test.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two gateways on one PostgreSQL database, as behind a load balancer: one schema, one set of bots, no lost updates. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgGatewaysTest {

  @TempDir
  Path tmp;

  private final List<TestGateway> gateways = new ArrayList<>();

  @AfterEach
  void stopGateways() {
    gateways.forEach(TestGateway::close);
  }

  @Test
  void twoGatewaysStartingTogetherOnAnEmptyDatabaseMigrateItOnceAndShareTheirBots() {
    TestPostgres postgres = TestPostgres.shared();
    String url = postgres.createDatabase("two_gateways");
    String database = url.substring(url.lastIndexOf('/') + 1);

    CompletableFuture<TestGateway> first = CompletableFuture.supplyAsync(() -> TestGateway.withPostgres(tmp.resolve("a"), url));
    CompletableFuture<TestGateway> second = CompletableFuture.supplyAsync(() -> TestGateway.withPostgres(tmp.resolve("b"), url));
    TestGateway a = track(first.join());
    TestGateway b = track(second.join());

    List<Integer> versions = new ArrayList<>();
    postgres.query(database, "SELECT version FROM schema_version ORDER BY version", row -> versions.add(row.getInt(1)));
    assertThat(versions).isEqualTo(PgSchema.MIGRATIONS.stream().map(PgSchema.Migration::version).toList());
    List<String> admins = new ArrayList<>();
    postgres.query(database, "SELECT id FROM documents WHERE collection = 'users'", row -> admins.add(row.getString(1)));
    assertThat(admins).as("one admin bootstrapped by whichever gateway came first").containsExactly("admin");

    Response created = a.send("POST", "/api/v1/bots", bot("shared-bot"), a.adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Response seen = b.get("/api/v1/bots/shared-bot", b.adminToken());
    assertThat(seen.status()).as(seen.toString()).isEqualTo(200);
    assertThat(seen.json().getString("name")).isEqualTo("Shared bot");
  }

  @Test
  void aPatchWithAnETagTheOtherGatewayAlreadyMovedOnIsRefusedWith409() {
    String url = TestPostgres.shared().createDatabase("stale_etag");
    TestGateway a = track(TestGateway.withPostgres(tmp.resolve("a"), url));
    TestGateway b = track(TestGateway.withPostgres(tmp.resolve("b"), url));
    String tokenA = a.adminToken();
    String tokenB = b.adminToken();
    assertThat(a.send("POST", "/api/v1/bots", bot("contested"), tokenA).status()).isEqualTo(201);
    String etag = b.get("/api/v1/bots/contested", tokenB).header("ETag");

    Response first = patch(a, tokenA, "contested", "written through a", etag);
    Response stale = patch(b, tokenB, "contested", "written through b", etag);

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("revision_conflict");
    assertThat(b.get("/api/v1/bots/contested", tokenB).json().getString("description")).isEqualTo("written through a");
  }

  @Test
  void concurrentPatchesWithOneETagThroughBothGatewaysHaveExactlyOneWinner() {
    String url = TestPostgres.shared().createDatabase("concurrent_patches");
    TestGateway a = track(TestGateway.withPostgres(tmp.resolve("a"), url));
    TestGateway b = track(TestGateway.withPostgres(tmp.resolve("b"), url));
    String tokenA = a.adminToken();
    String tokenB = b.adminToken();
    assertThat(a.send("POST", "/api/v1/bots", bot("raced"), tokenA).status()).isEqualTo(201);

    for (int round = 0; round < 5; round++) {
      String etag = a.get("/api/v1/bots/raced", tokenA).header("ETag");
      List<CompletableFuture<Response>> attempts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TestGateway via = i % 2 == 0 ? a : b;
        String token = i % 2 == 0 ? tokenA : tokenB;
        String text = "round " + round + " writer " + i;
        attempts.add(CompletableFuture.supplyAsync(() -> patch(via, token, "raced", text, etag)));
      }
      List<Response> responses = attempts.stream().map(CompletableFuture::join).toList();

      List<Response> winners = responses.stream().filter(r -> r.status() == 200).toList();
      assertThat(winners).as("round %d: %s", round, responses).hasSize(1);
      assertThat(responses).filteredOn(r -> r.status() != 200)
          .allSatisfy(r -> assertThat(r.status() + " " + r.errorCode()).isEqualTo("409 revision_conflict"));
      assertThat(a.get("/api/v1/bots/raced", tokenA).json().getString("description"))
          .isEqualTo(winners.get(0).json().getString("description"));
    }
  }

  private TestGateway track(TestGateway gateway) {
    gateways.add(gateway);
    return gateway;
  }

  private static Response patch(TestGateway gateway, String token, String id, String description, String etag) {
    return gateway.send("PATCH", "/api/v1/bots/" + id, new JsonObject().put("description", description).encode(),
        Map.of("Authorization", "Bearer " + token, "If-Match", etag));
  }

  static JsonObject bot(String id) {
    return new JsonObject().put("id", id).put("name", "Shared bot").put("command", new JsonArray().add("sh"));
  }
}
