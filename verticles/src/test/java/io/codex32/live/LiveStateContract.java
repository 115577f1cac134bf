package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.BotEvent;
import io.codex32.bus.BotHeartbeat;
import io.codex32.test.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every live state does, whether in memory or shared through Redis. A subclass supplies the
 * instance written to, the one read from (another gateway instance's, when state is shared), and
 * a way to wait until writes have reached the shared store.
 */
abstract class LiveStateContract {

  /** History capacity of the instances under test. */
  static final int KEPT = 5;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  /** The instance events are applied to. */
  abstract LiveState writer();

  /** What another gateway instance sees (the same instance when state is not shared). */
  abstract LiveState reader();

  /** Waits until the writes made so far are visible to {@link #reader()}. */
  abstract void settle();

  @Test
  void aRunningBotShowsPidUptimeAndRestarts() {
    writer().bots().applyStatus(event(status("weather", 3, "running").put("pid", 4242).put("restarts", 2)
        .put("started_at", now.minusSeconds(90).toString())));
    settle();

    BotLiveView view = Await.result(reader().bots().view("weather"));
    assertThat(view.pid()).isEqualTo(4242L);
    assertThat(view.restarts()).isEqualTo(2);
    assertThat(view.startedAt()).isEqualTo(now.minusSeconds(90));
    assertThat(view.uptimeSeconds()).isBetween(90L, 90L + Await.TIMEOUT_SECONDS * 10);
  }

  @Test
  void aStatusOlderThanTheKnownOneIsIgnoredByEveryInstance() {
    writer().bots().applyStatus(event(status("weather", 5, "running").put("pid", 1).put("started_at", now.toString())));
    settle();

    assertThat(writer().bots().applyStatus(event(status("weather", 4, "stopped")))).isFalse();
    reader().bots().applyStatus(event(status("weather", 4, "stopped").put("exit_code", 1)));
    settle();

    assertThat(Await.result(reader().bots().view("weather")).pid()).isEqualTo(1L);
    assertThat(Await.result(writer().bots().view("weather")).exitCode()).isNull();
  }

  @Test
  void samplesShowWhileRunningAndLeavingRunningClearsThem() {
    writer().bots().applyStatus(event(status("weather", 1, "running").put("pid", 7).put("started_at", now.toString())));
    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(1), 12.5, 40.25)));
    settle();
    BotLiveView running = Await.result(reader().bots().view("weather"));
    assertThat(running.cpuLoad()).isEqualTo(12.5);
    assertThat(running.memoryMb()).isEqualTo(40.25);

    writer().bots().applyStatus(event(status("weather", 2, "failed").put("exit_code", 3)
        .put("last_lines", new JsonArray().add("Traceback").add("ValueError"))));
    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(2), 99.0, 99.0)));
    settle();

    BotLiveView failed = Await.result(reader().bots().view("weather"));
    assertThat(failed.pid()).isNull();
    assertThat(failed.uptimeSeconds()).isNull();
    assertThat(failed.cpuLoad()).isNull();
    assertThat(failed.memoryMb()).isNull();
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.lastLines()).containsExactly("Traceback", "ValueError");
  }

  @Test
  void historyKeepsTheNewestSamplesOldestFirstAndEachSampleOnce() {
    writer().bots().applyStatus(event(status("weather", 1, "running").put("started_at", now.toString())));
    for (int i = 1; i <= KEPT + 3; i++) {
      BotEvent.Metrics event = metrics(sample("weather", now.plusSeconds(i), i, 10 + i));
      writer().bots().applyMetrics(event);
      // the same event again, as when every gateway instance hears it
      reader().bots().applyMetrics(event);
    }
    settle();

    List<MetricPoint> all = Await.result(reader().bots().metrics("weather", 100));
    assertThat(all).hasSize(KEPT);
    assertThat(all.get(0).time()).isEqualTo(now.plusSeconds(4));
    assertThat(all.get(KEPT - 1)).isEqualTo(new MetricPoint(now.plusSeconds(KEPT + 3), (double) KEPT + 3, 10.0 + KEPT + 3, 2));
    List<MetricPoint> newest = Await.result(reader().bots().metrics("weather", 2));
    assertThat(newest.stream().map(MetricPoint::time)).containsExactly(now.plusSeconds(KEPT + 2), now.plusSeconds(KEPT + 3));
    assertThat(Await.result(reader().bots().metrics("unknown", 10))).isEmpty();
  }

  @Test
  void aHeartbeatOfTheCurrentRunShowsUntilTheExecutorReportsANewerOne() {
    writer().bots().applyStatus(event(status("weather", 1, "running").put("started_at", now.toString())));
    writer().bots().recordHeartbeat(heartbeat("weather", now.minusSeconds(5), "previous run"));
    settle();
    assertThat(Await.result(reader().bots().view("weather")).lastHeartbeat()).isNull();

    writer().bots().recordHeartbeat(heartbeat("weather", now.plusSeconds(1), "warming up"));
    settle();
    BotLiveView view = Await.result(reader().bots().view("weather"));
    assertThat(view.lastHeartbeat()).isEqualTo(now.plusSeconds(1));
    assertThat(view.heartbeatStatus()).isEqualTo("warming up");
    assertThat(view.heartbeatMetrics()).isEqualTo(new JsonObject().put("queue", 3));

    // metrics alone (as on MQTT bots/<id>/metrics): the status sent before stays
    writer().bots().recordHeartbeat(BotHeartbeat.fromJson(new JsonObject().put("bot_id", "weather")
        .put("time", now.plusMillis(1500).toString()).put("metrics", new JsonObject().put("queue", 4))));
    settle();
    BotLiveView metricsOnly = Await.result(reader().bots().view("weather"));
    assertThat(metricsOnly.lastHeartbeat()).isEqualTo(now.plusMillis(1500));
    assertThat(metricsOnly.heartbeatStatus()).isEqualTo("warming up");
    assertThat(metricsOnly.heartbeatMetrics()).isEqualTo(new JsonObject().put("queue", 4));

    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(3), 1, 1)
        .put("last_heartbeat", now.plusSeconds(2).toString()).put("heartbeat_status", "ready")));
    settle();
    assertThat(Await.result(reader().bots().view("weather")).heartbeatStatus()).isEqualTo("ready");
  }

  @Test
  void viewsAnswerForEveryIdAsked() {
    writer().bots().applyStatus(event(status("a", 1, "running").put("pid", 11).put("started_at", now.toString())));
    writer().bots().applyStatus(event(status("b", 1, "stopped").put("exit_code", 0).put("restarts", 4)));
    settle();

    Map<String, BotLiveView> views = Await.result(reader().bots().views(List.of("a", "b", "never-seen")));

    assertThat(views).containsOnlyKeys("a", "b", "never-seen");
    assertThat(views.get("a").pid()).isEqualTo(11L);
    assertThat(views.get("b").restarts()).isEqualTo(4);
    assertThat(views.get("never-seen")).isEqualTo(Await.result(reader().bots().view("never-seen")));
    assertThat(views.get("never-seen").restarts()).isZero();
    assertThat(views.get("never-seen").pid()).isNull();
    assertThat(Await.result(reader().bots().views(List.of()))).isEmpty();
  }

  @Test
  void aForgottenBotLeavesNothingBehind() {
    writer().bots().applyStatus(event(status("gone", 1, "running").put("pid", 5).put("started_at", now.toString())));
    writer().bots().applyMetrics(metrics(sample("gone", now.plusSeconds(1), 1, 1)));
    writer().bots().recordHeartbeat(heartbeat("gone", now.plusSeconds(1), "hi"));
    settle();

    writer().bots().forget("gone");
    settle();

    assertThat(Await.result(writer().bots().view("gone"))).isEqualTo(Await.result(writer().bots().view("never-seen")));
    assertThat(Await.result(writer().bots().metrics("gone", 10))).isEmpty();
  }

  @Test
  void nodesMergeTheirFieldsAndListInIdOrder() {
    writer().nodes().putNode("pi-kitchen", new JsonObject().put("labels", new JsonObject().put("gpio", "true")).put("load", 0.5),
        Duration.ofMinutes(1));
    writer().nodes().putNode("pi-attic", new JsonObject().put("load", 0.1), Duration.ofMinutes(1));
    writer().nodes().putNode("pi-kitchen", new JsonObject().put("load", 0.75).put("bots", 3), Duration.ofMinutes(1));
    settle();

    JsonObject kitchen = Await.result(reader().nodes().node("pi-kitchen"));
    assertThat(kitchen).isEqualTo(new JsonObject().put("labels", new JsonObject().put("gpio", "true")).put("load", 0.75)
        .put("bots", 3).put("node_id", "pi-kitchen"));
    assertThat(Await.result(reader().nodes().nodes()).stream().map(n -> n.getString("node_id")))
        .containsExactly("pi-attic", "pi-kitchen");
    assertThat(Await.result(reader().nodes().node("pi-cellar"))).isNull();

    writer().nodes().forgetNode("pi-attic");
    settle();
    assertThat(Await.result(reader().nodes().nodes()).stream().map(n -> n.getString("node_id"))).containsExactly("pi-kitchen");
  }

  @Test
  void aNodeThatStopsReportingDropsOutAfterItsTtl() {
    writer().nodes().putNode("pi-flaky", new JsonObject().put("load", 1.0), Duration.ofMillis(300));
    writer().nodes().putNode("pi-steady", new JsonObject().put("load", 1.0), Duration.ofMinutes(1));
    settle();
    assertThat(Await.result(reader().nodes().node("pi-flaky"))).isNotNull();

    Await.until(() -> Await.result(reader().nodes().node("pi-flaky")) == null
        && Await.result(writer().nodes().node("pi-flaky")) == null, "pi-flaky expired");
    assertThat(Await.result(reader().nodes().nodes()).stream().map(n -> n.getString("node_id"))).containsExactly("pi-steady");
  }

  @Test
  void failuresLockAKeyAtTheLimitForOneWindow() {
    Duration window = Duration.ofMinutes(10);
    writer().loginFailures().fail("u:alice", 3, window);
    writer().loginFailures().fail("u:alice", 3, window);
    settle();
    assertThat(Await.result(reader().loginFailures().locked(List.of("u:alice")))).isZero();

    writer().loginFailures().fail("u:alice", 3, window);
    settle();

    Duration locked = Await.result(reader().loginFailures().locked(List.of("u:bob", "u:alice")));
    assertThat(locked).isPositive().isLessThanOrEqualTo(window);
    assertThat(Await.result(reader().loginFailures().locked(List.of("u:bob")))).isZero();
  }

  @Test
  void aResetForgetsFailuresAndLock() {
    Duration window = Duration.ofMinutes(10);
    for (int i = 0; i < 3; i++) {
      writer().loginFailures().fail("u:alice", 3, window);
    }
    settle();
    writer().loginFailures().reset("u:alice");
    writer().loginFailures().fail("u:alice", 3, window);
    settle();

    assertThat(Await.result(reader().loginFailures().locked(List.of("u:alice")))).isZero();
  }

  @Test
  void aLockEndsWithItsWindow() {
    for (int i = 0; i < 2; i++) {
      writer().loginFailures().fail("ip:192.0.2.1", 2, Duration.ofMillis(300));
    }
    settle();

    Await.until(() -> Await.result(reader().loginFailures().locked(List.of("ip:192.0.2.1"))).isZero()
        && Await.result(writer().loginFailures().locked(List.of("ip:192.0.2.1"))).isZero(), "lock ended");
  }

  static JsonObject status(String botId, long version, String status) {
    return new JsonObject().put("type", "status").put("bot_id", botId).put("version", version).put("status", status)
        .put("node", "local").put("restarts", 0).put("time", Instant.now().toString());
  }

  static BotEvent.Status event(JsonObject status) {
    return (BotEvent.Status) BotEvent.fromJson(status);
  }

  static JsonObject sample(String botId, Instant time, double cpu, double memory) {
    return new JsonObject().put("bot_id", botId).put("time", time.toString()).put("cpu_load", cpu).put("memory_usage_mb", memory)
        .put("processes", 2);
  }

  static BotEvent.Metrics metrics(JsonObject... samples) {
    return (BotEvent.Metrics) BotEvent.fromJson(new JsonObject().put("type", "metrics").put("node", "local")
        .put("time", Instant.now().toString()).put("samples", new JsonArray(List.of((Object[]) samples))));
  }

  static BotHeartbeat heartbeat(String botId, Instant time, String status) {
    return BotHeartbeat.fromJson(new JsonObject().put("bot_id", botId).put("time", time.toString()).put("status", status)
        .put("metrics", new JsonObject().put("queue", 3)));
  }
}
