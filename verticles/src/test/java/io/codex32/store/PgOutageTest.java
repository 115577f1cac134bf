package io.codex32.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.codex32.test.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops under a running gateway and comes back: readiness turns 503 naming the store,
 * requests fail at once with 503 {@code store_unavailable}, and once the server is back everything
 * works again without a restart of the gateway; no acknowledged write is lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgOutageTest {

  @TempDir
  Path dataDir;

  private TestPostgres postgres;
  private TestGateway gateway;

  @AfterEach
  void stopAll() {
    if (gateway != null) {
      gateway.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void anOutageTurnsIntoQuick503sAndHealsByItselfWithoutLosingAcknowledgedWrites() throws Exception {
    postgres = TestPostgres.dedicated("outage");
    gateway = TestGateway.withPostgres(dataDir, postgres.createDatabase("outage"));
    String token = gateway.adminToken();
    assertThat(gateway.send("POST", "/api/v1/bots", PgGatewaysTest.bot("before-outage"), token).status()).isEqualTo(201);

    // A client creating bots one after another for the whole test; it keeps the ids the gateway acknowledged.
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> otherAnswers = new CopyOnWriteArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 0; writing.get() && i < 5_000; i++) {
        String id = "bot-" + i;
        Response response = gateway.send("POST", "/api/v1/bots", PgGatewaysTest.bot(id), token);
        if (response.status() == 201) {
          acknowledged.add(id);
        } else {
          otherAnswers.add(response.status() + " " + response.errorCode());
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
      }
    }, "outage-test-writer");
    writer.start();
    Await.until(() -> acknowledged.size() >= 5, "some writes acknowledged before the outage");

    postgres.stop();

    Await.until(() -> gateway.get("/health/ready", null).status() == 503, "/health/ready answers 503");
    Response ready = gateway.get("/health/ready", null);
    assertThat(ready.json().getJsonObject("components").getJsonObject("store").getString("status")).isEqualTo("down");
    // An answer at all (the client would give up after 20 s) shows the wait was bounded.
    Response refused = gateway.send("POST", "/api/v1/bots", PgGatewaysTest.bot("during-outage"), token);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("store_unavailable");
    Await.until(() -> otherAnswers.size() >= 3, "the writer meets the outage");

    postgres.restart();

    Await.until(() -> gateway.get("/health/ready", null).status() == 200, "/health/ready answers 200 again");
    int acknowledgedBeforeRecovery = acknowledged.size();
    Await.until(() -> acknowledged.size() > acknowledgedBeforeRecovery + 3, "writes are acknowledged again");
    writing.set(false);
    writer.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(otherAnswers).as("every refusal").allSatisfy(answer -> assertThat(answer).isEqualTo("503 store_unavailable"));
    List<String> stored = new ArrayList<>();
    int total = gateway.get("/api/v1/bots?limit=1", token).json().getInteger("total");
    for (int offset = 0; offset < total; offset += 100) {
      JsonObject page = gateway.get("/api/v1/bots?limit=100&offset=" + offset, token).json();
      page.getJsonArray("items").forEach(item -> stored.add(((JsonObject) item).getString("id")));
    }
    assertThat(stored).contains("before-outage").containsAll(acknowledged);
  }
}
