package io.codex32.bench;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.codex32.bus.Addresses;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.bus.PinMode;
import io.codex32.config.ConfigLoader;
import io.codex32.config.GatewayConfig;
import io.codex32.gpio.GpioConfig;
import io.codex32.gpio.GpioProvider;
import io.codex32.gpio.GpioVerticle;
import io.codex32.gpio.Pi4jBoard;
import io.codex32.gpio.PinSpec;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What {@link GpioBench} measures, in its own JVM: a real gateway (the jar's wiring on the jar's
 * default settings, HTTP on a free loopback port, a fresh data directory) and beside it, on the
 * gateway's (non-clustered) Vert.x as an edge node would be over the clustered bus, the GPIO
 * verticle of node {@value #NODE} on a Pi4J mock context this class owns: one output
 * {@value #OUTPUT} and inputs {@code in0}, {@code in1}, ... The harness watches the output and makes
 * input edges through the mock's own API; no production code knows of it. The node announces itself
 * on the bus once a second, as an edge node's heartbeat verticle does, so the gateway's registry
 * knows it online.
 */
final class GpioRig implements AutoCloseable {

  static final String NODE = "bench-pi";
  static final String OUTPUT = "out";
  private static final int OUTPUT_BCM = 27;
  private static final long HEARTBEAT_MS = 1_000;
  private static final long START_TIMEOUT_S = 60;

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final Context pi4j;
  private final List<PinSpec> pins;
  private final String password;
  private final long heartbeats;

  private GpioRig(Vertx vertx, GatewayRuntime runtime, Context pi4j, List<PinSpec> pins, String password) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.pi4j = pi4j;
    this.pins = pins;
    this.password = password;
    heartbeat();
    this.heartbeats = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
  }

  /**
   * Starts the gateway on {@code dataDir}, then the node with {@code inputs} inputs debounced by
   * {@code debounceMs}; {@code inputProbe} is added to every input before the node adds its own
   * listener, so it sees each change first (Pi4J calls listeners in the order they were added).
   */
  static GpioRig start(Path dataDir, int inputs, int debounceMs, DigitalStateChangeListener inputProbe) throws Exception {
    String password = "bench-" + UUID.randomUUID();
    GatewayConfig config = GatewayConfig.from(ConfigLoader.load(GatewayConfig.DEFAULTS, List.of(), Map.of(
        "CODEX32_HTTP_PORT", "0",
        "CODEX32_HTTP_HOST", "127.0.0.1",
        "CODEX32_MQTT_PORT", "0",
        "CODEX32_MQTT_HOST", "127.0.0.1",
        "CODEX32_DATA_DIR", dataDir.toString(),
        "CODEX32_ADMIN_PASSWORD", password)));
    Vertx vertx = VertxFactory.create(new VertxOptions());
    try {
      GatewayRuntime runtime = GatewayRuntime.start(vertx, config).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      List<PinSpec> pins = GpioConfig.of(true, GpioProvider.MOCK.wireName(), pins(inputs, debounceMs)).pins();
      Context pi4j = Pi4jBoard.context(GpioProvider.MOCK);
      Pi4jBoard board = new Pi4jBoard(pi4j, pins, true);
      pins.stream().filter(pin -> pin.mode() == PinMode.INPUT)
          .forEach(pin -> pi4j.registry().get(Pi4jBoard.ioId(pin), DigitalInput.class).addListener(inputProbe));
      GpioVerticle.deploy(vertx, new GpioVerticle(NODE, pins, board, Clock.systemUTC())).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      return new GpioRig(vertx, runtime, pi4j, pins, password);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  /** The node's {@code gpio.pins}, as an operator writes them: the output, then the inputs on BCM 0, 1, ... */
  private static JsonArray pins(int inputs, int debounceMs) {
    JsonArray pins = new JsonArray().add(new JsonObject().put("name", OUTPUT).put("bcm", OUTPUT_BCM).put("mode", "output"));
    for (int i = 0; i < inputs; i++) {
      pins.add(new JsonObject().put("name", "in" + i).put("bcm", i).put("mode", "input").put("pull", "up")
          .put("debounce_ms", debounceMs));
    }
    return pins;
  }

  private void heartbeat() {
    NodeHeartbeat beat = new NodeHeartbeat(NODE, NODE + ".lan", Map.of(), Runtime.getRuntime().availableProcessors(), 4_096, 0, 0, 0,
        "bench", 0, Instant.now(), null);
    vertx.eventBus().publish(Addresses.NODE_HEARTBEAT, beat.toJson());
  }

  int httpPort() {
    return runtime.httpPort();
  }

  String adminPassword() {
    return password;
  }

  /** The Pi4J output the GPIO verticle drives. */
  DigitalOutput output() {
    return pi4j.registry().get(Pi4jBoard.ioId(spec(OUTPUT)), DigitalOutput.class);
  }

  /** The mock inputs, in pin order; {@link MockDigitalInput#mockState} makes an edge. */
  List<MockDigitalInput> inputs() {
    return pins.stream().filter(pin -> pin.mode() == PinMode.INPUT)
        .map(pin -> pi4j.registry().get(Pi4jBoard.ioId(pin), MockDigitalInput.class)).toList();
  }

  private PinSpec spec(String name) {
    return pins.stream().filter(pin -> pin.name().equals(name)).findFirst().orElseThrow();
  }

  /** Stops the heartbeats, the gateway and the node (which shuts the Pi4J context down), then Vert.x. */
  @Override
  public void close() throws Exception {
    vertx.cancelTimer(heartbeats);
    runtime.close().transform(v -> vertx.close()).await(30, TimeUnit.SECONDS);
  }
}
