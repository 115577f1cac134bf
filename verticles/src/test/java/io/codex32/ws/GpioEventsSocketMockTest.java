package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.gpio.GpioProvider;
import io.codex32.gpio.GpioVerticle;
import io.codex32.gpio.Pi4jBoard;
import io.codex32.gpio.PinSpec;
import io.codex32.gpio.Pull;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An input edge made on Pi4J's mock platform reaches a {@code /ws/events} subscriber of its node's
 * topic. The node is a GPIO verticle beside a real gateway, on the gateway's (non-clustered) Vert.x
 * as an edge node would be over the clustered bus, with a Pi4J context this test owns: the edge is
 * made through the mock's own API, and travels the production path (debounce, codex32.gpio.events,
 * the gateway's fan-out) to the socket.
 */
@Timeout(60)
class GpioEventsSocketMockTest {

  private static final String NODE = "pi-ws";
  private static final PinSpec BUTTON = new PinSpec("button", 27, PinMode.INPUT, Pull.UP, false, 5, null, null, 0, null);

  private TestGateway gateway;
  private Context pi4j;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(Files.createTempDirectory("codex32-gpio-ws"), Map.of());
    pi4j = Pi4jBoard.context(GpioProvider.MOCK);
    Await.result(GpioVerticle.deploy(gateway.vertx(), new GpioVerticle(NODE, List.of(BUTTON), new Pi4jBoard(pi4j, List.of(BUTTON), true),
        Clock.systemUTC())));
  }

  @AfterEach
  void stop() {
    gateway.close();
    if (!pi4j.isShutdown()) {
      pi4j.shutdown();
    }
  }

  @Test
  void anInputEdgeMadeOnTheMockReachesTheNodesGpioTopic() {
    String url = gateway.url(EventsEndpoint.PATH).replace("http://", "ws://");
    try (WsClient node = WsClient.withProtocol(url, gateway.tokenFor("gpio-watcher", "viewer"), false);
        WsClient all = WsClient.withProtocol(url, gateway.tokenFor("gpio-all", "viewer"), false);
        WsClient other = WsClient.withProtocol(url, gateway.tokenFor("gpio-other", "viewer"), false)) {
      node.subscribe("gpio/" + NODE);
      assertThat(node.next()).isEqualTo(new JsonObject().put("type", "subscribed").put("topics", new JsonArray().add("gpio/" + NODE)));
      all.subscribe("gpio");
      assertThat(all.next().getString("type")).isEqualTo("subscribed");
      other.subscribe("gpio/pi-elsewhere");
      assertThat(other.next().getString("type")).isEqualTo("subscribed");

      pi4j.registry().get(Pi4jBoard.ioId(BUTTON), MockDigitalInput.class).mockState(DigitalState.HIGH);

      JsonObject frame = node.nextExcept("ping");
      assertThat(frame.getString("type")).isEqualTo("gpio");
      assertThat(frame.getString("topic")).isEqualTo("gpio/" + NODE);
      JsonObject data = frame.getJsonObject("data");
      assertThat(data.fieldNames()).containsExactlyInAnyOrder("node", "pin", "value", "edge", "time", "dropped");
      assertThat(data.getString("node")).isEqualTo(NODE);
      assertThat(data.getString("pin")).isEqualTo("button");
      assertThat(data.getString("value")).isEqualTo(PinValue.HIGH.wireName());
      assertThat(data.getString("edge")).isEqualTo("rising");
      assertThat(Instant.parse(data.getString("time"))).isBefore(Instant.now().plusSeconds(1));
      assertThat(all.nextExcept("ping").getJsonObject("data")).isEqualTo(data);
      assertThat(other.drain()).as("another node's topic").noneMatch(message -> "gpio".equals(message.getString("type")));
    }
  }
}
