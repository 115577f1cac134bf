package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code nodes} topic: a node's view arrives on each heartbeat and again when it turns offline. */
@Timeout(60)
class NodeEventsSocketTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir, Map.of("CODEX32_NODE_HEARTBEAT_INTERVAL_MS", "60000", "CODEX32_NODES_OFFLINE_AFTER_MS", "1000"));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void subscribersSeeANodeComeOnlineAndGoOffline() {
    String url = gateway.url(EventsEndpoint.PATH).replace("http://", "ws://");
    try (WsClient client = WsClient.withProtocol(url, gateway.tokenFor("watcher", "viewer"), false)) {
      client.subscribe("nodes");
      assertThat(client.next().getString("type")).isEqualTo("subscribed");

      gateway.vertx().eventBus().publish(Addresses.NODE_HEARTBEAT, new JsonObject().put("id", "pi-porch")
          .put("hostname", "porch").put("capacity", new JsonObject().put("cores", 4)).put("time", Instant.now().toString()));

      JsonObject online = nextAbout(client, "pi-porch");
      assertThat(online.getString("type")).isEqualTo("node");
      assertThat(online.getString("topic")).isEqualTo("nodes");
      assertThat(online.getJsonObject("data").getBoolean("online")).isTrue();
      assertThat(online.getJsonObject("data").getJsonObject("capacity").getInteger("cores")).isEqualTo(4);

      JsonObject offline = nextAbout(client, "pi-porch");
      assertThat(offline.getJsonObject("data").getBoolean("online")).isFalse();
      assertThat(offline.getLong("seq")).isGreaterThan(online.getLong("seq"));
    }
  }

  /** The gateway's own node ("local") also reports on this topic; skip its events. */
  private static JsonObject nextAbout(WsClient client, String nodeId) {
    JsonObject event = client.next(15);
    while (!nodeId.equals(event.getJsonObject("data", new JsonObject()).getString("id"))) {
      event = client.next(15);
    }
    return event;
  }
}
