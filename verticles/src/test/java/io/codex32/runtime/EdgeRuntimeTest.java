package io.codex32.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.config.EdgeNodeConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.test.Await;
import io.codex32.test.JvmWarmUp;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An edge node without a cluster: its HTTP surface, its executor and its heartbeat on one Vert.x. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeRuntimeTest {

  @TempDir
  Path dataDir;
  private final Vertx vertx = vertx();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Vertx vertx() {
    JvmWarmUp.once();
    return VertxFactory.create(TestVertx.options());
  }

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private EdgeRuntime start() {
    return start(Map.of());
  }

  private EdgeRuntime start(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of("CODEX32_HTTP_PORT", "0", "CODEX32_HTTP_HOST", "127.0.0.1",
        "CODEX32_NODE_ID", "pi-test", "CODEX32_DATA_DIR", dataDir.toString(), "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200"));
    env.putAll(more);
    return Await.result(EdgeRuntime.start(vertx, EdgeNodeConfig.load(List.of(), env)));
  }

  private HttpResponse<String> get(EdgeRuntime edge, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthMetricsAndTheDashboardOnly() throws Exception {
    EdgeRuntime edge = start();

    HttpResponse<String> health = get(edge, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(health.body());
    JsonObject voice = body.getJsonObject("voice");
    assertThat(body.copy().put("voice", null)).isEqualTo(new JsonObject().put("status", "up").put("node", "pi-test").put("voice", null));
    assertThat(voice.getString("node")).as("the node's own voice service answered").isEqualTo("pi-test");
    assertThat(voice.getValue("available")).isInstanceOf(Boolean.class);
    assertThat(voice.getString("engine")).isIn("pocketsphinx", "vosk", "off");
    assertThat(get(edge, "/metrics").body()).contains("jvm_memory_used_bytes");
    assertThat(get(edge, "/").body()).contains("/js/main.js");
    assertThat(get(edge, "/api/v1/bots").statusCode()).isEqualTo(404);
  }

  @Test
  void runsTheExecutorOfItsNodeAndAnnouncesTheNode() {
    List<JsonObject> heartbeats = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.NODE_HEARTBEAT, message -> heartbeats.add(message.body()));
    start();

    JsonObject summary = Await.result(vertx.eventBus().<JsonObject>request(Addresses.executor("pi-test"),
        new JsonObject().put("action", "summary"))).body();
    assertThat(summary.getInteger("bots")).isZero();
    Await.until(() -> heartbeats.stream().anyMatch(beat -> "pi-test".equals(beat.getString("id"))), "a heartbeat of pi-test");
  }

  @Test
  void runsTheGpioOfItsDeclaredPinsOnTheMock() {
    start(Map.of("CODEX32_GPIO_PROVIDER", "mock", "CODEX32_GPIO_PINS",
        "[{\"name\": \"relay\", \"bcm\": 17, \"mode\": \"output\", \"initial\": \"high\"}]"));

    GpioRequest read = new GpioRequest.ReadAll();
    GpioReply reply = GpioReply.fromJson(read, Await.result(vertx.eventBus().request(Addresses.gpio("pi-test"), read.toJson())).body());
    assertThat(reply).isEqualTo(new GpioReply.Pins(
        List.of(new GpioReply.PinState("relay", 17, PinMode.OUTPUT, PinValue.HIGH, null, null, null)), true));
  }

  @Test
  void deploysNoGpioWhenItIsDisabled() {
    start(Map.of("CODEX32_GPIO_ENABLED", "false"));

    Throwable none = Await.cause(vertx.eventBus().request(Addresses.gpio("pi-test"), new GpioRequest.ReadAll().toJson()));
    assertThat(none).isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }
}
