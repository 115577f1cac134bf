package io.codex32.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.Bot;
import io.codex32.bot.BotPatch;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.BotLogLine;
import io.codex32.bus.Contract;
import io.codex32.bus.ExecutorReply;
import io.codex32.bus.ExecutorRequest;
import io.codex32.error.Codex32Exception;
import io.codex32.live.LocalBotLiveState;
import io.codex32.store.InMemoryDocumentStore;
import io.codex32.test.Await;
import io.codex32.test.MutableClock;
import io.codex32.test.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bot service without HTTP: bots in an in-memory store, live state in memory, and requests to
 * nodes through the real {@link EventBusExecutorClient} over a real event bus, where a small
 * consumer stands in for each node's executor and records what it was asked.
 */
@Timeout(30)
class BotServiceTest {

  private static final Instant T0 = Instant.parse("2026-01-31T10:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final LocalBotLiveState live = new LocalBotLiveState(clock);
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private BotService bots;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
    EventBusExecutorClient executors = new EventBusExecutorClient(vertx, "local", botId -> Future.succeededFuture("token-of-" + botId));
    bots = BotService.create(new InMemoryDocumentStore(), executors, live, new BotScheduler(List::of), vertx.eventBus(), clock);
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.BOT_EVENTS, message -> published.add(message.body())).completion());
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void createdBotsAreRegisteredStoppedAndListedInIdOrderWithTheirLiveFields() {
    Await.result(bots.create(spec("weather", "pi-1")));
    Await.result(bots.create(spec("alarm", "pi-1")));
    Await.result(bots.create(spec("camera", "pi-2")));

    Bot weather = Await.result(bots.get("weather"));
    assertThat(weather.status()).isEqualTo(BotStatus.REGISTERED);
    assertThat(weather.desiredState()).isEqualTo(DesiredState.STOPPED);
    assertThat(weather.node()).isEqualTo("pi-1");
    assertThat(code(bots.create(spec("weather", "pi-2")))).isEqualTo("bot_exists");
    assertThat(code(bots.get("nothing"))).isEqualTo("not_found");

    BotPage page = Await.result(bots.list(new BotQuery(null, null, "pi-1", 1, 10)));
    assertThat(page.total()).isEqualTo(2);
    assertThat(page.items()).extracting(view -> view.bot().id()).containsExactly("weather");
    assertThat(page.items().get(0).live().restarts()).isZero();
    assertThat(Await.result(bots.list(new BotQuery(null, null, null, 0, 2))).items()).extracting(view -> view.bot().id())
        .containsExactly("alarm", "camera");
  }

  @Test
  void aPatchMergesIntoTheSpecReplacesThePlacementWholeAndIsRefusedAtAStaleRevision() {
    BotSpec labelled = BotSpec.fromJson(new JsonObject().put("id", "sensor").put("command", List.of("sleep", "300"))
        .put("env", Map.of("UNITS", "metric", "LEVEL", "debug")).put("placement", Map.of("labels", Map.of("gpio", "true"))));
    Bot created = Await.result(bots.create(labelled));

    Bot patched = Await.result(bots.patch("sensor", BotPatch.fromJson(new JsonObject()
        .put("env", new JsonObject().putNull("LEVEL").put("ROOM", "attic"))
        .put("placement", new JsonObject().put("node", "pi-1"))), created.revision()));

    assertThat(patched.spec().env()).isEqualTo(Map.of("UNITS", "metric", "ROOM", "attic"));
    assertThat(patched.spec().placement().node()).isEqualTo("pi-1");
    assertThat(patched.spec().placement().labels()).isEmpty();
    assertThat(patched.spec().command()).containsExactly("sleep", "300");
    assertThat(code(bots.patch("sensor", BotPatch.fromJson(new JsonObject().put("name", "late")), created.revision())))
        .isEqualTo("revision_conflict");
    assertThat(code(bots.patch("sensor", BotPatch.fromJson(new JsonObject().put("command", List.of())), -1)))
        .isEqualTo("invalid_command");
    assertThat(Await.result(bots.get("sensor")).spec().name()).isEqualTo("sensor");
  }

  @Test
  void startAndStopStoreTheDesiredStateAndSendTheRequestsToTheBotsNode() {
    List<ExecutorRequest> pi1 = executor("pi-1");
    BotSpec weather = spec("weather", "pi-1");
    Await.result(bots.create(weather));

    assertThat(Await.result(bots.start("weather")).desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(Await.result(bots.stop("weather")).desiredState()).isEqualTo(DesiredState.STOPPED);

    // an edge node cannot sign tokens: the launch carries one
    assertThat(pi1).containsExactly(new ExecutorRequest.Start(weather, "token-of-weather"), new ExecutorRequest.Stop("weather"));
    assertThat(Await.result(bots.get("weather")).desiredState()).isEqualTo(DesiredState.STOPPED);
  }

  @Test
  void aStartForANodeWithoutExecutorKeepsTheDesiredStateForLater() {
    Await.result(bots.create(spec("weather", "pi-away")));

    assertThat(Await.result(bots.start("weather")).desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(Await.cause(bots.logs("weather", 10, null))).isInstanceOf(Codex32Exception.class)
        .hasMessageContaining("pi-away");
    assertThat(code(bots.logs("weather", 10, null))).isEqualTo("node_unavailable");
  }

  @Test
  void aReplyOfANewerContractIsTheNodesFaultNotTheClients() {
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.executor("pi-next"),
        message -> message.reply(new JsonObject().put("v", Contract.VERSION + 1).put("accepted", true))).completion());
    Await.result(bots.create(spec("weather", "pi-next")));

    Codex32Exception failure = Await.failure(bots.start("weather"));

    assertThat(failure.status()).isEqualTo(503);
    assertThat(failure.code()).isEqualTo("unreadable_reply");
    assertThat(failure.getMessage()).contains("pi-next", "contract version");
    assertThat(Await.result(bots.get("weather")).desiredState()).as("the desired state is stored first").isEqualTo(DesiredState.RUNNING);
  }

  @Test
  void aBotNoNodeCanTakeStaysRegisteredWithTheReasonWhichEveryGatewayHears() {
    BotSpec labelled = BotSpec.fromJson(new JsonObject().put("id", "sensor").put("command", List.of("sleep", "300"))
        .put("placement", Map.of("labels", Map.of("gpio", "true"))));
    Await.result(bots.create(labelled));

    Bot started = Await.result(bots.start("sensor"));

    assertThat(started.status()).isEqualTo(BotStatus.REGISTERED);
    assertThat(started.node()).isNull();
    assertThat(started.reason()).isEqualTo("unschedulable: no online node matches {gpio=true}");
    Await.until(() -> published.size() == 1, "the decided status published");
    BotEvent.Status heard = (BotEvent.Status) BotEvent.fromJson(published.get(0));
    assertThat(heard.reason()).isEqualTo(started.reason());
    assertThat(heard.version()).isEqualTo(started.statusVersion());
    assertThat(code(bots.logs("sensor", 10, null))).isEqualTo("unschedulable");
    assertThat(Await.result(bots.stop("sensor")).reason()).isNull();
  }

  @Test
  void aBotThatMayRunIsDeletedOnlyWhenForcedAndItsNodeRemovesItFirst() {
    List<ExecutorRequest> pi1 = executor("pi-1");
    List<String> deleted = new ArrayList<>();
    bots.onDeleted(deleted::add);
    Await.result(bots.create(spec("weather", "pi-1")));
    Await.result(bots.create(spec("idle", "pi-1")));
    Await.result(bots.start("weather"));

    assertThat(code(bots.delete("weather", false))).isEqualTo("bot_running");
    Await.result(bots.delete("weather", true));
    Await.result(bots.delete("idle", false));

    assertThat(pi1).containsExactly(new ExecutorRequest.Start(spec("weather", "pi-1"), "token-of-weather"),
        new ExecutorRequest.Remove("weather"));
    assertThat(deleted).containsExactly("weather", "idle");
    assertThat(code(bots.get("weather"))).isEqualTo("not_found");
  }

  @Test
  void statusReportsKeepTheNewestVersionAndAReportFromAnotherNodeMakesThatNodeLetGo() {
    List<ExecutorRequest> stray = executor("pi-stray");
    Await.result(bots.create(spec("weather", "pi-1")));
    BotStatusIngestion statuses = bots.statuses();

    Await.result(statuses.applyStatus(report("weather", "pi-1", BotStatus.RUNNING, 5, 4242L)));
    Await.result(statuses.applyStatus(report("weather", "pi-1", BotStatus.STOPPED, 4, null)));
    Await.result(statuses.applyStatus(report("weather", "pi-stray", BotStatus.STOPPING, 9, 7L)));
    Await.result(statuses.applyStatus(report("weather", "pi-stray", BotStatus.RUNNING, 10, 7L)));

    Bot weather = Await.result(bots.get("weather"));
    assertThat(weather.status()).isEqualTo(BotStatus.RUNNING);
    assertThat(weather.statusVersion()).isEqualTo(5);
    assertThat(Await.result(bots.view(weather)).live().pid()).isEqualTo(4242L);
    Await.until(() -> stray.size() == 1, "the stray node told to let the bot go");
    assertThat(stray).containsExactly(new ExecutorRequest.Remove("weather"));
    Await.result(statuses.applyStatus(report("gone", "pi-1", BotStatus.RUNNING, 1, 1L)));
    assertThat(code(bots.get("gone"))).isEqualTo("not_found");
  }

  @Test
  void theBotsOfALostNodeThatMayRunBecomeUnknownJustAboveTheirStoredVersion() {
    Await.result(bots.create(spec("running", "pi-1")));
    Await.result(bots.create(spec("stopped", "pi-1")));
    Await.result(bots.create(spec("elsewhere", "pi-2")));
    BotStatusIngestion statuses = bots.statuses();
    Await.result(statuses.applyStatus(report("running", "pi-1", BotStatus.RUNNING, 7, 11L)));
    Await.result(statuses.applyStatus(report("stopped", "pi-1", BotStatus.STOPPED, 3, null)));
    Await.result(statuses.applyStatus(report("elsewhere", "pi-2", BotStatus.RUNNING, 2, 12L)));
    clock.advance(Duration.ofMinutes(1));

    List<BotEvent.Status> lost = Await.result(statuses.lostNodeEvents("pi-1", "node_lost: silent"));

    assertThat(lost).containsExactly(BotEvent.Status.decided("running", "pi-1", BotStatus.UNKNOWN, 8, "node_lost: silent",
        T0.plus(Duration.ofMinutes(1))));
    Await.result(statuses.applyStatus(lost.get(0)));
    Bot running = Await.result(bots.get("running"));
    assertThat(running.status()).isEqualTo(BotStatus.UNKNOWN);
    assertThat(running.reason()).isEqualTo("node_lost: silent");
    assertThat(Await.result(bots.view(running)).live().pid()).as("no process known any more").isNull();
  }

  @Test
  void logsComeFromTheBotsNodeOldestFirst() {
    List<ExecutorRequest> pi1 = executor("pi-1");
    Await.result(bots.create(spec("weather", "pi-1")));

    List<BotLogLine> lines = Await.result(bots.logs("weather", 2, T0));

    assertThat(lines).extracting(BotLogLine::line).containsExactly("first", "second");
    assertThat(pi1).containsExactly(new ExecutorRequest.Logs("weather", 2, T0));
  }

  private static BotSpec spec(String id, String node) {
    return BotSpec.fromJson(new JsonObject().put("id", id).put("command", List.of("sleep", "300"))
        .put("placement", new JsonObject().put("node", node)));
  }

  private BotEvent.Status report(String botId, String node, BotStatus status, long version, Long pid) {
    return new BotEvent.Status(botId, node, status, version, null, clock.instant(),
        new BotEvent.ProcessReport(pid, pid == null ? null : clock.instant(), false, 0, null, null, "sampling", null), null, false);
  }

  /** A stand-in for the executor of {@code nodeId}: records each request and accepts it. */
  private List<ExecutorRequest> executor(String nodeId) {
    List<ExecutorRequest> received = new CopyOnWriteArrayList<>();
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.executor(nodeId), message -> {
      ExecutorRequest request = ExecutorRequest.fromJson(message.body());
      received.add(request);
      message.reply(replyTo(request).toJson());
    }).completion());
    return received;
  }

  private static ExecutorReply replyTo(ExecutorRequest request) {
    if (request instanceof ExecutorRequest.Logs logs) {
      return new ExecutorReply.LogTail(List.of(new BotLogLine(logs.botId(), 1, T0, BotLogLine.STDOUT, "first"),
          new BotLogLine(logs.botId(), 2, T0, BotLogLine.STDERR, "second")));
    }
    return request instanceof ExecutorRequest.Remove ? ExecutorReply.Accepted.unknownBot()
        : new ExecutorReply.Accepted(BotStatus.STARTING, true);
  }

  private static String code(Future<?> future) {
    return Await.failure(future).code();
  }
}
