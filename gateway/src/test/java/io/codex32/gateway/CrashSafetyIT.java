package io.codex32.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} in the middle of a stream of writes, several times on one data directory: a
 * write the API acknowledged with 201 must be there after the restart, the store must open
 * cleanly every time, and the audit chain must still verify at the end.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CrashSafetyIT {

  private static final int ROUNDS = 5;
  private static final int MIN_DELAY_MS = 200;
  private static final int MAX_DELAY_MS = 1500;

  @RegisterExtension
  final GatewayProcesses gateways = new GatewayProcesses();

  @Test
  void everyAcknowledgedBotSurvivesRepeatedKillNineAndTheAuditChainStaysIntact() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("CrashSafetyIT seed=" + seed + " (new Random(seed) draws threads and kill delay per round)");
    Path data = gateways.dataDir();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> attempted = ConcurrentHashMap.newKeySet();

    GatewayProcess gateway = gateways.start("crash-round-1", data);
    for (int round = 1; round <= ROUNDS; round++) {
      int threads = 2 + random.nextInt(3);
      int delayMs = MIN_DELAY_MS + random.nextInt(MAX_DELAY_MS - MIN_DELAY_MS + 1);
      Set<String> ackedThisRound = createBotsUntilKilled(gateway, round, threads, delayMs, attempted);
      acknowledged.addAll(ackedThisRound);
      System.out.printf("round %d: %d threads, kill -9 %d ms after the first ack, %d bots acknowledged, %d attempted so far%n",
          round, threads, delayMs, ackedThisRound.size(), attempted.size());

      gateway = gateways.start("crash-round-" + (round + 1), data);
      ApiClient api = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
      assertThat(api.get("/health/ready").status()).as("store opened cleanly after crash %d", round).isEqualTo(200);
      assertEveryBotReadable(api, ackedThisRound, round);
      assertListedBots(api, acknowledged, attempted, round);
    }

    ApiClient api = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    JsonObject verify = api.get("/api/v1/audit/verify").json();
    assertThat(verify.getBoolean("intact")).as("audit chain after %d crashes: %s", ROUNDS, verify).isTrue();
    // The audit record is written before the response, so each acknowledged create has one.
    JsonObject creates = api.get("/api/v1/audit?action=createBot&result=success&limit=1").json();
    assertThat(creates.getInteger("total")).as("successful createBot audit records")
        .isGreaterThanOrEqualTo(acknowledged.size()).isLessThanOrEqualTo(attempted.size());
  }

  /** Creates bots from several threads until the process is killed; returns the ids answered with 201. */
  private Set<String> createBotsUntilKilled(GatewayProcess gateway, int round, int threads, int delayMs, Set<String> attempted)
      throws InterruptedException {
    ApiClient api = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    List<String> unexpected = new ArrayList<>();
    CountDownLatch firstAck = new CountDownLatch(1);
    AtomicBoolean killed = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      String prefix = "r" + round + "-t" + t + "-";
      pool.execute(() -> {
        for (int n = 0; !killed.get(); n++) {
          String id = prefix + n;
          attempted.add(id);
          ApiClient.Response response;
          try {
            response = api.post("/api/v1/bots", new JsonObject().put("id", id).put("command", new JsonArray().add("sleep").add("60")));
          } catch (UncheckedIOException connectionLost) {
            return;
          }
          if (response.status() != 201) {
            synchronized (unexpected) {
              unexpected.add(id + " -> " + response);
            }
            return;
          }
          acked.add(id);
          firstAck.countDown();
        }
      });
    }
    assertThat(firstAck.await(30, TimeUnit.SECONDS)).as("a first bot was acknowledged in round %d", round).isTrue();
    // Not waiting for a condition: this is the chosen crash moment.
    TimeUnit.MILLISECONDS.sleep(delayMs);
    int exit = gateway.killHard();
    killed.set(true);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("client threads ended after the kill").isTrue();
    assertThat(exit).as("exit value of the killed gateway").isEqualTo(GatewayProcess.EXIT_SIGKILL);
    synchronized (unexpected) {
      assertThat(unexpected).as("answers other than 201 before the kill").isEmpty();
    }
    return new HashSet<>(acked);
  }

  private static void assertEveryBotReadable(ApiClient api, Set<String> ids, int round) {
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      ApiClient.Response response = api.get("/api/v1/bots/" + id);
      if (response.status() != 200 || !id.equals(response.json().getString("id"))) {
        missing.add(id + " -> " + response.status());
      }
    }
    assertThat(missing).as("acknowledged bots of round %d not returned after the crash", round).isEmpty();
  }

  /** All acknowledged bots (of every round so far) are listed, and nothing is listed that was never requested. */
  private static void assertListedBots(ApiClient api, Set<String> acknowledged, Set<String> attempted, int round) {
    Set<String> listed = new HashSet<>();
    int total = -1;
    for (int offset = 0; total < 0 || offset < total; offset += 500) {
      JsonObject page = api.get("/api/v1/bots?limit=500&offset=" + offset).json();
      total = page.getInteger("total");
      page.getJsonArray("items").forEach(item -> listed.add(((JsonObject) item).getString("id")));
      if (page.getJsonArray("items").isEmpty()) {
        break;
      }
    }
    assertThat(total).as("total in GET /api/v1/bots after crash %d", round).isGreaterThanOrEqualTo(acknowledged.size());
    assertThat(listed).as("bots listed after crash %d", round).hasSize(total).containsAll(acknowledged);
    assertThat(attempted).as("every listed bot was requested by the test").containsAll(listed);
  }
}
