package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.codex32.bus.Addresses;
import io.codex32.bus.ExecutorRequest;
import io.codex32.executor.process.ProcStat;
import io.codex32.executor.process.ProcessGroups;
import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.test.Await;
import io.codex32.test.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The executor supervising real child processes, driven through its event-bus address like the gateway does. */
@Timeout(120)
class ExecutorVerticleTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private String deployment;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final List<Long> pidsToReap = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    vertx.eventBus().<JsonObject>consumer(Addresses.BOT_EVENTS, message -> events.add(message.body())).completion()
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    deployExecutor(true);
  }

  @AfterEach
  void stop() throws Exception {
    for (long pid : pidsToReap) {
      ProcessGroups.stop(pid, Duration.ofMillis(100));
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private void deployExecutor(boolean adoptRunning) {
    ExecutorSettings settings = new ExecutorSettings("local", dataDir, List.of("sh", "python3", "sleep"),
        ExecutorSettings.DEFAULT_SEARCH_PATH, "http://127.0.0.1:1", null, 200, adoptRunning);
    deployment = Await.result(ExecutorVerticle.create(vertx, settings, id -> Future.succeededFuture("token-of-" + id), Clock.systemUTC())
        .compose(vertx::deployVerticle));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String script(String name) {
    try {
      return Path.of(ExecutorVerticleTest.class.getResource("/executor/bots/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BotSpec spec(String id, JsonObject restart, String... command) {
    return BotSpec.fromJson(new JsonObject().put("id", id).put("command", List.of(command)).put("restart", restart)
        .put("stop_timeout_ms", 1000));
  }

  private static JsonObject policy(String policy, int maxRestarts, long backoffMs) {
    return new JsonObject().put("policy", policy).put("max_restarts", maxRestarts).put("window_s", 60)
        .put("backoff_initial_ms", backoffMs).put("backoff_max_ms", 5000).put("backoff_multiplier", 2.0);
  }

  private enum Action { START, STOP }

  private JsonObject command(Action action, BotSpec spec) {
    ExecutorRequest request = action == Action.START ? new ExecutorRequest.Start(spec, null) : new ExecutorRequest.Stop(spec.id());
    return Await.result(vertx.eventBus().<JsonObject>request(Addresses.executor("local"), request.toJson())
        .map(reply -> reply.body()));
  }

  private JsonObject awaitStatus(String botId, String status) {
    return awaitEvent(botId, e -> status.equals(e.getString("status")), status);
  }

  /** The first status event of {@code botId} that meets {@code condition}; a failure lists all its status events. */
  private JsonObject awaitEvent(String botId, Predicate<JsonObject> condition, String what) {
    List<JsonObject> seen = Await.until(() -> statusEvents(botId), list -> list.stream().anyMatch(condition),
        "a '" + what + "' event for " + botId);
    JsonObject event = seen.stream().filter(condition).findFirst().orElseThrow();
    if (event.getLong("pid") != null) {
      pidsToReap.add(event.getLong("pid"));
    }
    return event;
  }

  private List<JsonObject> statusEvents(String botId) {
    return events.stream().filter(e -> "status".equals(e.getString("type")) && botId.equals(e.getString("bot_id"))).toList();
  }

  private void awaitLogLine(String botId, String line) {
    Await.until(() -> logs(new JsonObject().put("bot_id", botId).put("tail", 100)).getJsonArray("items").stream()
        .anyMatch(item -> line.equals(((JsonObject) item).getString("line"))), botId + " writing '" + line + "'");
  }

  private JsonObject logs(JsonObject query) {
    return Await.result(vertx.eventBus().<JsonObject>request(Addresses.executor("local"), query.put("action", "logs"))
        .map(reply -> reply.body()));
  }

  private List<String> statuses(String botId) {
    List<String> statuses = new ArrayList<>();
    events.stream().filter(e -> botId.equals(e.getString("bot_id"))).forEach(e -> statuses.add(e.getString("status")));
    return statuses;
  }


  /** Running, not a zombie waiting to be reaped (orphans here are reaped lazily). */
  private static boolean alive(long pid) {
    return ProcStat.read(pid).map(stat -> !stat.ended()).orElse(false);
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void cleanExitStopsUnderNeverAndOnFailure() {
    for (String policy : List.of("never", "on-failure")) {
      String id = "clean-" + policy;
      command(Action.START, spec(id, policy(policy, 3, 50), "sh", script("exit_with.sh"), "0"));
      JsonObject stopped = awaitStatus(id, "stopped");
      assertThat(stopped.getInteger("exit_code")).isZero();
      assertThat(statuses(id)).containsExactly("starting", "running", "stopped");
    }
  }

  @Test
  void failureUnderNeverIsFailedWithTheExitCodeAndLastLines() {
    command(Action.START, spec("fails-once", policy("never", 3, 50), "sh", script("exit_with.sh"), "3"));
    JsonObject failed = awaitStatus("fails-once", "failed");
    assertThat(failed.getInteger("exit_code")).isEqualTo(3);
    assertThat(failed.getString("reason")).isEqualTo("exited with code 3");
    assertThat(statuses("fails-once")).doesNotContain("restarting");
  }

  @Test
  void alwaysRestartsEvenAfterACleanExitUntilTheBudgetIsSpent() {
    command(Action.START, spec("always", policy("always", 2, 20), "sh", script("exit_with.sh"), "0"));
    JsonObject failed = awaitStatus("always", "failed");
    assertThat(failed.getString("reason")).startsWith("restart limit reached: 2 restarts");
    assertThat(statuses("always").stream().filter("restarting"::equals)).hasSize(2);
  }

  @Test
  void crashLoopBacksOffLongerEachTimeThenFailsWithTheLastLines() {
    command(Action.START, spec("crash-loop", policy("on-failure", 3, 150), "sh", script("exit_with.sh"), "1"));
    JsonObject failed = awaitStatus("crash-loop", "failed");
    assertThat(failed.getString("reason")).startsWith("restart limit reached: 3 restarts");
    assertThat(failed.getInteger("restarts")).isEqualTo(3);
    assertThat(failed.getJsonArray("last_lines").encode()).contains("will exit with 1");

    List<Instant> restarts = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    for (JsonObject e : events) {
      if ("crash-loop".equals(e.getString("bot_id")) && "restarting".equals(e.getString("status"))) {
        restarts.add(Instant.parse(e.getString("time")));
      } else if ("crash-loop".equals(e.getString("bot_id")) && "starting".equals(e.getString("status"))) {
        starts.add(Instant.parse(e.getString("time")));
      }
    }
    assertThat(starts).hasSize(4);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < restarts.size(); i++) {
      waits.add(Duration.between(restarts.get(i), starts.get(i + 1)).toMillis());
    }
    // 150, 300, 600 ms with ±20 % jitter: each wait is longer than the one before
    assertThat(waits.get(0)).isGreaterThanOrEqualTo(110);
    assertThat(waits.get(1)).isGreaterThan(waits.get(0));
    assertThat(waits.get(2)).isGreaterThan(waits.get(1));
  }

  @Test
  void stopEndsTheWholeTreeIncludingGrandchildren() {
    command(Action.START, spec("tree", policy("on-failure", 3, 50), "sh", script("tree.sh")));
    long pid = awaitStatus("tree", "running").getLong("pid");
    List<Long> tree = Await.until(() -> ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid).toList(),
        descendants -> descendants.size() >= 2, "two descendants of " + pid);
    assertThat(tree).hasSizeGreaterThanOrEqualTo(2);

    command(Action.STOP, spec("tree", policy("on-failure", 3, 50), "sh", script("tree.sh")));
    JsonObject stopped = awaitStatus("tree", "stopped");
    assertThat(stopped.getString("reason")).isEqualTo("stopped by operator");
    assertThat(alive(pid)).isFalse();
    assertThat(tree).noneMatch(ExecutorVerticleTest::alive);
    assertThat(ProcessGroups.members(pid)).isEmpty();
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
    BotSpec stubborn = spec("stubborn", policy("on-failure", 3, 50), "sh", script("ignore_term.sh"));
    command(Action.START, stubborn);
    long pid = awaitStatus("stubborn", "running").getLong("pid");
    // its trap is set once it says so: a SIGTERM before that would end it like any process
    awaitLogLine("stubborn", "ignoring TERM");
    command(Action.STOP, stubborn);
    JsonObject stopped = awaitStatus("stubborn", "stopped");
    assertThat(stopped.getString("reason")).contains("killed after 1000 ms");
    assertThat(alive(pid)).isFalse();
    assertThat(ProcessGroups.members(pid)).isEmpty();
  }

  @Test
  void memoryHogIsStoppedForExceedingItsQuota() {
    BotSpec hog = BotSpec.fromJson(new JsonObject().put("id", "hog").put("command", List.of("python3", script("memory_hog.py")))
        .put("restart", policy("never", 0, 50)).put("resources", new JsonObject().put("max_memory_mb", 64)).put("stop_timeout_ms", 1000));
    command(Action.START, hog);
    JsonObject failed = awaitStatus("hog", "failed");
    assertThat(failed.getString("reason")).startsWith("quota_exceeded");
    assertThat(statuses("hog")).contains("stopping");
  }

  @Test
  void commandsOffTheAllowListAreRefusedWithAClearError() {
    BotSpec curl = spec("fetcher", policy("never", 0, 50), "curl", "http://127.0.0.1:1");
    assertThatThrownBy(() -> command(Action.START, curl)).hasMessageContaining("command_not_allowed");
    JsonObject failed = awaitStatus("fetcher", "failed");
    assertThat(failed.getString("reason")).startsWith("command_not_allowed").contains("executor.allowed_commands");
  }

  @Test
  void aRestartedExecutorAdoptsTheRunningBotInsteadOfStartingItAgain() {
    BotSpec ticker = spec("ticker", policy("on-failure", 3, 50), "python3", script("ticker.py"));
    command(Action.START, ticker);
    long pid = awaitStatus("ticker", "running").getLong("pid");

    Await.result(vertx.undeploy(deployment));
    events.clear();
    assertThat(alive(pid)).as("bots keep running while the executor is away").isTrue();
    deployExecutor(true);

    JsonObject adopted = awaitStatus("ticker", "running");
    assertThat(adopted.getLong("pid")).isEqualTo(pid);
    assertThat(adopted.getBoolean("adopted")).isTrue();
    command(Action.START, ticker);
    assertThat(statuses("ticker")).containsExactly("starting", "running");

    // logs keep flowing from the adopted process
    Instant since = Instant.now();
    JsonObject logs = Await.until(() -> logs(new JsonObject().put("bot_id", "ticker").put("tail", 10).put("since", since.toString())),
        page -> !page.getJsonArray("items").isEmpty(), "log lines of the adopted ticker");
    assertThat(logs.getJsonArray("items").getJsonObject(0).getString("line")).startsWith("tick ");
    command(Action.STOP, ticker);
    awaitStatus("ticker", "stopped");
    assertThat(alive(pid)).isFalse();
  }

  @Test
  void aBotThatShouldRunButWhoseProcessIsGoneStartsAgainWithTheExecutorAndItsDeliveredToken() throws Exception {
    BotSpec keeper = spec("keeper", policy("on-failure", 3, 50), "sleep", "1000");
    vertx.eventBus().request(Addresses.executor("local"), new ExecutorRequest.Start(keeper, "delivered-by-a-gateway").toJson())
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    long pid = awaitStatus("keeper", "running").getLong("pid");
    BotSpec parked = spec("parked", policy("on-failure", 3, 50), "sleep", "1000");
    command(Action.START, parked);
    awaitStatus("parked", "running");
    command(Action.STOP, parked);
    awaitStatus("parked", "stopped");
    BotSpec gone = spec("gone", policy("on-failure", 3, 50), "sleep", "1000");
    command(Action.START, gone);
    awaitStatus("gone", "running");
    Await.result(vertx.eventBus().request(Addresses.executor("local"), new JsonObject().put("action", "remove").put("bot_id", "gone")));
    awaitStatus("gone", "stopped");

    // the node goes down and its bot with it (a reboot); nobody is there to restart it
    Await.result(vertx.undeploy(deployment));
    ProcessGroups.stop(pid, Duration.ofMillis(100));
    events.clear();
    deployExecutor(true);

    JsonObject again = awaitStatus("keeper", "running");
    assertThat(again.getLong("pid")).isNotEqualTo(pid);
    assertThat(again.getString("reason")).contains("started again");
    assertThat(Files.readString(Path.of("/proc/" + again.getLong("pid") + "/environ")))
        .contains("CODEX32_BOT_TOKEN=delivered-by-a-gateway");
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("bots/keeper/bot-token")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    // what an operator stopped or removed stays so
    assertThat(statuses("parked")).isEmpty();
    assertThat(statuses("gone")).isEmpty();
  }

  @Test
  void samplesOfARunningBotArePublished() {
    BotSpec ticker = spec("sampled", policy("on-failure", 3, 50), "python3", script("ticker.py"));
    command(Action.START, ticker);
    awaitStatus("sampled", "running");
    List<JsonObject> samples = Await.until(() -> events.stream().filter(e -> "metrics".equals(e.getString("type")))
        .flatMap(e -> e.getJsonArray("samples").stream().map(JsonObject.class::cast))
        .filter(sample -> "sampled".equals(sample.getString("bot_id"))).toList(), list -> list.size() >= 2, "two samples of sampled");
    assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
    JsonObject latest = samples.get(samples.size() - 1);
    assertThat(latest.getDouble("memory_usage_mb")).isGreaterThan(1.0);
    assertThat(latest.getDouble("cpu_load")).isGreaterThan(0.0);
    assertThat(latest.getInteger("processes")).isPositive();
    assertThat(Instant.parse(latest.getString("time"))).isAfter(Instant.parse(samples.get(0).getString("time")));
  }

  @Test
  void aRunLongerThanMaxRuntimeIsStoppedAndCountsAsAFailure() {
    BotSpec slow = BotSpec.fromJson(new JsonObject().put("id", "slow").put("command", List.of("sleep", "1000"))
        .put("restart", policy("never", 0, 50)).put("max_runtime_s", 1).put("stop_timeout_ms", 1000));
    command(Action.START, slow);
    long pid = awaitStatus("slow", "running").getLong("pid");
    JsonObject failed = awaitStatus("slow", "failed");
    assertThat(failed.getString("reason")).startsWith("max_runtime_exceeded");
    assertThat(Duration.between(Instant.parse(awaitStatus("slow", "running").getString("time")), Instant.parse(failed.getString("time"))))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(alive(pid)).isFalse();
  }

  @Test
  void withAdoptionOffARestartedExecutorStopsTheBotsItFindsRunning() {
    BotSpec sleeper = spec("sleeper", policy("on-failure", 3, 50), "sleep", "1000");
    command(Action.START, sleeper);
    long pid = awaitStatus("sleeper", "running").getLong("pid");

    Await.result(vertx.undeploy(deployment));
    events.clear();
    deployExecutor(false);

    JsonObject stopped = awaitStatus("sleeper", "stopped");
    assertThat(stopped.getString("reason")).contains("executor.adopt_running");
    assertThat(alive(pid)).isFalse();
    command(Action.START, sleeper);
    assertThat(awaitStatus("sleeper", "running").getLong("pid")).isNotEqualTo(pid);
  }

  @Test
  void unknownActionsAreRefused() {
    assertThatThrownBy(() -> Await.result(vertx.eventBus().request(Addresses.executor("local"), new JsonObject().put("action", "dance"))))
        .hasMessageContaining("unknown_action");
  }
}
