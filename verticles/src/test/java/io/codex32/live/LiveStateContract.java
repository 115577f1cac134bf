package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

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
    writer().bots().applyStatus(status("weather", 3, "running").put("pid", 4242).put("restarts", 2)
        .put("started_at", now.minusSeconds(90).toString()));
    settle();

    JsonObject view = Await.result(reader().bots().view("weather"));
    assertThat(view.getLong("pid")).isEqualTo(4242);
    assertThat(view.getInteger("restarts")).isEqualTo(2);
    assertThat(view.getString("started_at")).isEqualTo(now.minusSeconds(90).toString());
    assertThat(view.getLong("uptime_seconds")).isBetween(90L, 90L + Await.TIMEOUT_SECONDS * 10);
  }

  @Test
  void aStatusOlderThanTheKnownOneIsIgnoredByEveryInstance() {
    writer().bots().applyStatus(status("weather", 5, "running").put("pid", 1).put("started_at", now.toString()));
    settle();

    assertThat(writer().bots().applyStatus(status("weather", 4, "stopped"))).isFalse();
    reader().bots().applyStatus(status("weather", 4, "stopped").put("exit_code", 1));
    settle();

    assertThat(Await.result(reader().bots().view("weather")).getLong("pid")).isEqualTo(1);
    assertThat(Await.result(writer().bots().view("weather")).getInteger("exit_code")).isNull();
  }

  @Test
  void samplesShowWhileRunningAndLeavingRunningClearsThem() {
    writer().bots().applyStatus(status("weather", 1, "running").put("pid", 7).put("started_at", now.toString()));
    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(1), 12.5, 40.25)));
    settle();
    JsonObject running = Await.result(reader().bots().view("weather"));
    assertThat(running.getDouble("cpu_load")).isEqualTo(12.5);
    assertThat(running.getDouble("memory_usage_mb")).isEqualTo(40.25);

    writer().bots().applyStatus(status("weather", 2, "failed").put("exit_code", 3)
        .put("last_lines", new JsonArray().add("Traceback").add("ValueError")));
    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(2), 99.0, 99.0)));
    settle();

    JsonObject failed = Await.result(reader().bots().view("weather"));
    assertThat(failed.getValue("pid")).isNull();
    assertThat(failed.getValue("uptime_seconds")).isNull();
    assertThat(failed.getValue("cpu_load")).isNull();
    assertThat(failed.getValue("memory_usage_mb")).isNull();
    assertThat(failed.getInteger("exit_code")).isEqualTo(3);
    assertThat(failed.getJsonArray("last_lines")).isEqualTo(new JsonArray().add("Traceback").add("ValueError"));
  }

  @Test
  void historyKeepsTheNewestSamplesOldestFirstAndEachSampleOnce() {
    writer().bots().applyStatus(status("weather", 1, "running").put("started_at", now.toString()));
    for (int i = 1; i <= KEPT + 3; i++) {
      JsonObject event = metrics(sample("weather", now.plusSeconds(i), i, 10 + i));
      writer().bots().applyMetrics(event);
      // the same event again, as when every gateway instance hears it
      reader().bots().applyMetrics(event);
    }
    settle();

    JsonArray all = Await.result(reader().bots().metrics("weather", 100));
    assertThat(all).hasSize(KEPT);
    assertThat(all.getJsonObject(0).getString("time")).isEqualTo(now.plusSeconds(4).toString());
    assertThat(all.getJsonObject(KEPT - 1)).isEqualTo(new JsonObject().put("time", now.plusSeconds(KEPT + 3).toString())
        .put("cpu_load", (double) KEPT + 3).put("memory_usage_mb", 10.0 + KEPT + 3).put("processes", 2));
    JsonArray newest = Await.result(reader().bots().metrics("weather", 2));
    assertThat(newest.stream().map(o -> ((JsonObject) o).getString("time")))
        .containsExactly(now.plusSeconds(KEPT + 2).toString(), now.plusSeconds(KEPT + 3).toString());
    assertThat(Await.result(reader().bots().metrics("unknown", 10))).isEmpty();
  }

  @Test
  void aHeartbeatOfTheCurrentRunShowsUntilTheExecutorReportsANewerOne() {
    writer().bots().applyStatus(status("weather", 1, "running").put("started_at", now.toString()));
    writer().bots().recordHeartbeat("weather", heartbeat(now.minusSeconds(5), "previous run"));
    settle();
    assertThat(Await.result(reader().bots().view("weather")).getString("last_heartbeat")).isNull();

    writer().bots().recordHeartbeat("weather", heartbeat(now.plusSeconds(1), "warming up"));
    settle();
    JsonObject view = Await.result(reader().bots().view("weather"));
    assertThat(view.getString("last_heartbeat")).isEqualTo(now.plusSeconds(1).toString());
    assertThat(view.getString("heartbeat_status")).isEqualTo("warming up");
    assertThat(view.getJsonObject("heartbeat_metrics")).isEqualTo(new JsonObject().put("queue", 3));

    // metrics alone (as on MQTT bots/<id>/metrics): the status sent before stays
    writer().bots().recordHeartbeat("weather", new JsonObject().put("bot_id", "weather").put("time", now.plusMillis(1500).toString())
        .put("metrics", new JsonObject().put("queue", 4)));
    settle();
    JsonObject metricsOnly = Await.result(reader().bots().view("weather"));
    assertThat(metricsOnly.getString("last_heartbeat")).isEqualTo(now.plusMillis(1500).toString());
    assertThat(metricsOnly.getString("heartbeat_status")).isEqualTo("warming up");
    assertThat(metricsOnly.getJsonObject("heartbeat_metrics")).isEqualTo(new JsonObject().put("queue", 4));

    writer().bots().applyMetrics(metrics(sample("weather", now.plusSeconds(3), 1, 1)
        .put("last_heartbeat", now.plusSeconds(2).toString()).put("heartbeat_status", "ready")));
    settle();
    assertThat(Await.result(reader().bots().view("weather")).getString("heartbeat_status")).isEqualTo("ready");
  }

  @Test
  void viewsAnswerForEveryIdAsked() {
    writer().bots().applyStatus(status("a", 1, "running").put("pid", 11).put("started_at", now.toString()));
    writer().bots().applyStatus(status("b", 1, "stopped").put("exit_code", 0).put("restarts", 4));
    settle();

    Map<String, JsonObject> views = Await.result(reader().bots().views(List.of("a", "b", "never-seen")));

    assertThat(views).containsOnlyKeys("a", "b", "never-seen");
    assertThat(views.get("a").getLong("pid")).isEqualTo(11);
    assertThat(views.get("b").getInteger("restarts")).isEqualTo(4);
    assertThat(views.get("never-seen")).isEqualTo(Await.result(reader().bots().view("never-seen")));
    assertThat(views.get("never-seen").getInteger("restarts")).isZero();
    assertThat(views.get("never-seen").getValue("pid")).isNull();
    assertThat(Await.result(reader().bots().views(List.of()))).isEmpty();
  }

  @Test
  void aForgottenBotLeavesNothingBehind() {
    writer().bots().applyStatus(status("gone", 1, "running").put("pid", 5).put("started_at", now.toString()));
    writer().bots().applyMetrics(metrics(sample("gone", now.plusSeconds(1), 1, 1)));
    writer().bots().recordHeartbeat("gone", heartbeat(now.plusSeconds(1), "hi"));
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
        .put("node", "local").put("restarts", 0);
  }

  static JsonObject sample(String botId, Instant time, double cpu, double memory) {
    return new JsonObject().put("bot_id", botId).put("time", time.toString()).put("cpu_load", cpu).put("memory_usage_mb", memory)
        .put("processes", 2);
  }

  static JsonObject metrics(JsonObject... samples) {
    return new JsonObject().put("type", "metrics").put("node", "local").put("samples", new JsonArray(List.of((Object[]) samples)));
  }

  static JsonObject heartbeat(Instant time, String status) {
    return new JsonObject().put("bot_id", "weather").put("time", time.toString()).put("status", status)
        .put("metrics", new JsonObject().put("queue", 3));
  }
}
