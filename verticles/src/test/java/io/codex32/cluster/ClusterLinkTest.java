package io.codex32.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinEdge;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.config.ClusterConfig;
import io.codex32.gpio.GpioProvider;
import io.codex32.gpio.GpioVerticle;
import io.codex32.gpio.Pi4jBoard;
import io.codex32.gpio.PinSpec;
import io.codex32.gpio.Pull;
import io.codex32.test.Await;
import io.codex32.test.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An edge node's {@link ClusterLink} against a real gateway-side cluster member (a Hazelcast data
 * member in this JVM): the node's Vert.x stays local; commands come in and events go out while a
 * gateway is there; status events published while none is wait and arrive, marked replayed, when
 * one returns.
 */
@Timeout(180)
class ClusterLinkTest {

  /** Longer than {@link Await}'s default: Hazelcast members join, and notice one that left, in tens of seconds. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NODE = "pi-link";

  private Vertx node;
  private Vertx gateway;
  private ClusterLink link;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      get(gateway.close());
    }
    if (node != null) {
      get(node.close());
    }
  }

  @Test
  void commandsComeInEventsGoOutAndWhatHappenedWhileAloneArrivesOnReturn() throws Exception {
    int port = freePort();
    node = TestVertx.create();
    node.eventBus().<JsonObject>consumer(Addresses.executor(NODE), message -> {
      if ("summary".equals(message.body().getString("action"))) {
        message.reply(new JsonObject().put("bots", 3));
      } else {
        message.fail(400, "unknown_action");
      }
    });
    link = new ClusterLink(config(port, 0), NODE, 100, 200);
    get(node.deployVerticle(link));
    assertThat(linkStatus().getBoolean("connected")).as("no gateway yet: the node runs alone").isFalse();

    startGateway(port);
    awaitTrue(() -> linkStatus().getBoolean("connected"), "the link joining the gateway");

    // a command from the gateway side reaches the node's executor address, and failures keep their code
    JsonObject reply = get(gateway.eventBus().<JsonObject>request(Addresses.executor(NODE), new JsonObject().put("action", "summary")))
        .body();
    assertThat(reply.getInteger("bots")).isEqualTo(3);
    Throwable refused = cause(gateway.eventBus().request(Addresses.executor(NODE), new JsonObject().put("action", "dance")));
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(400);

    // the node's events reach the gateway
    node.eventBus().publish(Addresses.BOT_EVENTS, status(1));
    awaitTrue(() -> received.stream().anyMatch(e -> e.getLong("version") == 1), "status 1 at the gateway");

    // the gateway goes: the node notices, keeps its status events and drops live-only ones
    get(gateway.close());
    gateway = null;
    awaitTrue(() -> !linkStatus().getBoolean("connected"), "the link noticing the gateway left");
    received.clear();
    node.eventBus().publish(Addresses.BOT_EVENTS, status(2));
    node.eventBus().publish(Addresses.BOT_EVENTS, new BotEvent.Metrics(NODE, Instant.now(), List.of()).toJson());
    awaitTrue(() -> linkStatus().getInteger("events_buffered") >= 2, "status 2 kept (with status 1, sent just before)");

    // a gateway returns: what the node owes arrives, in order, marked as replayed
    startGateway(port);
    awaitTrue(() -> received.stream().anyMatch(e -> e.getLong("version", 0L) == 2), "status 2 at the returning gateway");
    JsonObject replayed = received.stream().filter(e -> e.getLong("version", 0L) == 2).findFirst().orElseThrow();
    assertThat(replayed.getBoolean("replayed")).isTrue();
    assertThat(received).noneMatch(e -> "metrics".equals(e.getString("type")));
    assertThat(received.stream().map(e -> e.getLong("version")).filter(v -> v != null).toList()).startsWith(1L, 2L);
    JsonObject status = linkStatus();
    assertThat(status.getLong("events_dropped")).isZero();
    assertThat(status.getInteger("joins")).isEqualTo(2);
  }

  @Test
  void gpioRequestsComeInAndInputChangesGoOutOnTheMock() throws Exception {
    int port = freePort();
    node = TestVertx.create();
    PinSpec relay = new PinSpec("relay", 17, PinMode.OUTPUT, null, false, 0, PinValue.LOW, PinValue.LOW, 0, null);
    PinSpec button = new PinSpec("button", 27, PinMode.INPUT, Pull.UP, false, 0, null, null, 0, null);
    Context pi4j = Pi4jBoard.context(GpioProvider.MOCK);
    get(GpioVerticle.deploy(node, new GpioVerticle(NODE, List.of(relay, button), new Pi4jBoard(pi4j, List.of(relay, button), true),
        Clock.systemUTC())));
    link = new ClusterLink(config(port, 0), NODE, 100, 200);
    get(node.deployVerticle(link));
    startGateway(port);
    List<GpioEvent> gpioEvents = new CopyOnWriteArrayList<>();
    get(gateway.eventBus().<JsonObject>consumer(Addresses.GPIO_EVENTS, message -> gpioEvents.add(GpioEvent.fromJson(message.body())))
        .completion());
    awaitTrue(() -> linkStatus().getBoolean("connected"), "the link joining the gateway");

    GpioRequest write = new GpioRequest.Write("relay", PinValue.HIGH);
    GpioReply reply = GpioReply.fromJson(write, get(gateway.eventBus().request(Addresses.gpio(NODE), write.toJson())).body());
    assertThat(((GpioReply.Pin) reply).pin().value()).isEqualTo(PinValue.HIGH);
    assertThat(pi4j.registry().get(Pi4jBoard.ioId(relay), MockDigitalOutput.class).state()).isEqualTo(DigitalState.HIGH);
    Throwable unknown = cause(gateway.eventBus().request(Addresses.gpio(NODE), new GpioRequest.Read("nothing").toJson()));
    assertThat(((ReplyException) unknown).failureCode()).as("the node's failure code, unchanged").isEqualTo(404);

    pi4j.registry().get(Pi4jBoard.ioId(button), MockDigitalInput.class).mockState(DigitalState.HIGH);
    awaitTrue(() -> !gpioEvents.isEmpty(), "the button's edge at the gateway");
    assertThat(gpioEvents.get(0)).extracting(GpioEvent::node, GpioEvent::pin, GpioEvent::edge).containsExactly(NODE, "button",
        PinEdge.RISING);
  }

  @Test
  void aFullBufferDropsTheOldestAndCountsIt() throws Exception {
    node = TestVertx.create();
    link = new ClusterLink(config(freePort(), 0), NODE, 100, 60_000);
    get(node.deployVerticle(link));
    for (int version = 1; version <= 130; version++) {
      node.eventBus().publish(Addresses.BOT_EVENTS, status(version));
    }
    awaitTrue(() -> linkStatus().getLong("events_dropped") == 30, "30 of 130 events dropped");
    assertThat(linkStatus().getInteger("events_buffered")).isEqualTo(100);
  }

  private void startGateway(int port) throws Exception {
    gateway = get(ClusteredVertx.start(new VertxOptions(), config(port, port), false));
    get(gateway.eventBus().<JsonObject>consumer(Addresses.BOT_EVENTS, message -> received.add(message.body())).completion());
  }

  private static ClusterConfig config(int seedPort, int ownPort) {
    return new ClusterConfig(true, List.of("127.0.0.1:" + seedPort), null, "127.0.0.1", ownPort, 0, 1000, 3000, null, null, null);
  }

  private static JsonObject status(long version) {
    return BotEvent.Status.decided("b", NODE, BotStatus.RUNNING, version, null, Instant.now()).toJson();
  }

  private JsonObject linkStatus() {
    try {
      return get(link.status());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    Await.until(condition, what, WAIT);
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Throwable cause(Future<?> future) throws Exception {
    try {
      get(future);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
