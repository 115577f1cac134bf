package io.codex32.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.config.EdgeNodeConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.test.Await;
import io.codex32.test.JvmWarmUp;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
    EdgeNodeConfig config = EdgeNodeConfig.load(List.of(), Map.of("CODEX32_HTTP_PORT", "0", "CODEX32_HTTP_HOST", "127.0.0.1",
        "CODEX32_NODE_ID", "pi-test", "CODEX32_DATA_DIR", dataDir.toString(), "CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "200"));
    return Await.result(EdgeRuntime.start(vertx, config));
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
    assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject().put("status", "up").put("node", "pi-test"));
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
}
