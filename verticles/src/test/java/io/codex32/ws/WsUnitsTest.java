package io.codex32.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.DevicePublish;
import io.codex32.bus.DeviceTelemetry;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.PinEdge;
import io.codex32.bus.PinValue;
import io.codex32.config.ConfigException;
import io.codex32.config.GatewayConfig;
import io.codex32.config.WsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parts of /ws/events that need no socket: token extraction, topics, event translation, the queue, limits. */
@Timeout(10)
class WsUnitsTest {

  @Test
  void theTokenComesFromTheBearerSubprotocolFirstThenTheQuery() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "codex32.v1, codex32.bearer.a.b.c");
    assertThat(WsTokens.from(headers, "token=q.r.s")).isEqualTo("a.b.c");
    assertThat(WsTokens.from(MultiMap.caseInsensitiveMultiMap(), "x=1&token=q.r%2Es")).isEqualTo("q.r.s");
    assertThat(WsTokens.from(MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "codex32.v1"), null)).isNull();
    assertThat(WsTokens.from(MultiMap.caseInsensitiveMultiMap(), "token=")).isNull();
  }

  @Test
  void expiryIsReadFromThePayload() {
    String payload = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"sub\":\"u\",\"exp\":1900000000}".getBytes(StandardCharsets.UTF_8));
    assertThat(WsTokens.expiry("h." + payload + ".s")).isEqualTo(Instant.ofEpochSecond(1_900_000_000L));
    assertThat(WsTokens.expiry("h.!!!.s")).isNull();
    assertThat(WsTokens.expiry("nodots")).isNull();
  }

  @Test
  void topicsMapToTheirAddresses() {
    assertThat(Topic.parse("bots").address()).isEqualTo(Addresses.BOT_EVENTS);
    assertThat(Topic.parse("bots/weather").address()).isEqualTo(Addresses.BOT_EVENTS);
    assertThat(Topic.parse("logs/weather").address()).isEqualTo(Addresses.botLogs("weather"));
    assertThat(Topic.parse("nodes").address()).isEqualTo(Addresses.NODE_EVENTS);
    assertThat(Topic.parse("devices/esp-1/telemetry").address()).isEqualTo(Addresses.DEVICE_TELEMETRY);
    assertThat(Topic.parse("workflows").address()).isEqualTo(Addresses.WORKFLOW_EVENTS);
    assertThat(Topic.parse("gpio").address()).isEqualTo(Addresses.GPIO_EVENTS);
    assertThat(Topic.parse("gpio/pi-1").address()).isEqualTo(Addresses.GPIO_EVENTS);
    for (String bad : List.of("", "bots/", "bots/a/b", "logs/..", "logs/a b", "devices/x", "devices/x/commands", "Bots", "logs/*",
        "gpio/", "gpio/a/b")) {
      assertThat(Topic.parse(bad)).as(bad).isNull();
    }
  }

  @Test
  void statusEventsReachTheBotAndTheAllBotsTopicMetricsOnlyTheBot() {
    BusEvent status = BusEvent.from(Addresses.BOT_EVENTS,
        BotEvent.Status.decided("a", "local", BotStatus.RUNNING, 1, null, Instant.now()).toJson()).get(0);
    assertThat(status.matches(Set.of("bots"))).isTrue();
    assertThat(status.matches(Set.of("bots/a"))).isTrue();
    assertThat(status.matches(Set.of("bots/b"))).isFalse();
    List<BusEvent> metrics = BusEvent.from(Addresses.BOT_EVENTS, new BotEvent.Metrics("local", Instant.now(), List.of(
        new BotEvent.Sample("a", Instant.now(), 1, 2, 1, null, null, null),
        new BotEvent.Sample("b", Instant.now(), 1, 2, 1, null, null, null))).toJson());
    assertThat(metrics).extracting(BusEvent::topic).containsExactly("bots/a", "bots/b");
    assertThat(metrics.get(0).matches(Set.of("bots"))).isFalse();
    assertThat(BusEvent.from(Addresses.DEVICE_TELEMETRY,
        new DeviceTelemetry(new DevicePublish("d1", "devices/d1/telemetry", 21.5, 1, Instant.now(), false)).toJson()).get(0).topic())
        .isEqualTo("devices/d1/telemetry");
    assertThat(BusEvent.from(Addresses.BOT_EVENTS, "not json")).isEmpty();
  }

  @Test
  void inputChangesReachTheirNodesTopicAndTheAllNodesOneWithoutTheContractVersion() {
    List<BusEvent> events = BusEvent.from(Addresses.GPIO_EVENTS,
        new GpioEvent("pi-1", "button", PinValue.HIGH, PinEdge.RISING, Instant.parse("2026-01-31T12:00:00Z"), 0).toJson());
    assertThat(events).extracting(BusEvent::topic).containsExactly("gpio/pi-1");
    BusEvent event = events.get(0);
    assertThat(event.matches(Set.of("gpio"))).isTrue();
    assertThat(event.matches(Set.of("gpio/pi-2"))).isFalse();
    JsonObject frame = new JsonObject(event.frame(7));
    assertThat(frame.getString("type")).isEqualTo("gpio");
    assertThat(frame.getJsonObject("data")).isEqualTo(new JsonObject().put("node", "pi-1").put("pin", "button").put("value", "high")
        .put("edge", "rising").put("time", "2026-01-31T12:00:00Z").put("dropped", 0));
    assertThat(BusEvent.from(Addresses.GPIO_EVENTS, new JsonObject().put("node", "pi-1"))).as("unreadable: dropped").isEmpty();
  }

  @Test
  void theQueueDropsTheOldestAndCountsThem() {
    OutboundQueue queue = new OutboundQueue(2);
    assertThat(queue.offer("1")).isFalse();
    assertThat(queue.offer("2")).isFalse();
    assertThat(queue.offer("3")).isTrue();
    assertThat(queue.takeDropped()).isEqualTo(1);
    assertThat(queue.hasDropped()).isFalse();
    assertThat(queue.poll()).isEqualTo("2");
    assertThat(queue.poll()).isEqualTo("3");
    assertThat(queue.poll()).isNull();
  }

  @Test
  void configDefaultsAndAPongTimeoutShorterThanThePingIntervalIsRefused() {
    WsConfig defaults = GatewayConfig.load(List.of(), Map.of()).ws();
    assertThat(defaults).isEqualTo(new WsConfig(1000, 20, 100, 1000, 10_000, 30_000, 60_000, 30_000));
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_WS_PONG_TIMEOUT_MS", "1000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ws.pong_timeout_ms");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_WS_MAX_CONNECTIONS", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ws.max_connections");
  }

  @Test
  void limitsCountPerUserAndInAll() {
    ConnectionLimits limits = new ConnectionLimits(3, 2);
    assertThat(limits.tryAcquire("a")).isTrue();
    assertThat(limits.tryAcquire("a")).isTrue();
    assertThat(limits.tryAcquire("a")).isFalse();
    assertThat(limits.tryAcquire("b")).isTrue();
    assertThat(limits.tryAcquire("c")).isFalse();
    limits.release("a");
    assertThat(limits.tryAcquire("c")).isTrue();
    limits.release("nobody");
    assertThat(limits.tryAcquire("d")).isFalse();
  }
}
