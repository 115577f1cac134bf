package io.codex32.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.pwm.MockPwm;
import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinEdge;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.error.Codex32Exception;
import io.codex32.test.Await;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GPIO verticle on Pi4J's mock platform, on a real Vert.x and event bus: every action as a
 * request, input edges made through the mock's own API, debounce and flood limits, and the safe
 * states at start and on undeploy (observed on the mock before the platform shuts down).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GpioVerticleMockTest {

  private static final String NODE = "pi-1";
  private static final PinSpec RELAY = new PinSpec("relay", 17, PinMode.OUTPUT, null, false, 0, PinValue.LOW, PinValue.LOW, 0, null);
  /** Active low: high (on) drives the line to 0 V. On at start, off at shutdown. */
  private static final PinSpec LAMP = new PinSpec("lamp", 22, PinMode.OUTPUT, null, true, 0, PinValue.HIGH, PinValue.LOW, 0, "Desk lamp");
  private static final PinSpec BUTTON = new PinSpec("button", 27, PinMode.INPUT, Pull.UP, false, 20, null, null, 0, null);
  private static final PinSpec FLAPPY = new PinSpec("flappy", 5, PinMode.INPUT, Pull.NONE, false, 0, null, null, 0, null);
  private static final PinSpec FAN = new PinSpec("fan", 18, PinMode.PWM, null, false, 0, null, null, 1000, null);
  private static final List<PinSpec> PINS = List.of(RELAY, LAMP, BUTTON, FLAPPY, FAN);

  private Vertx vertx;
  private Context pi4j;
  private ObservedBoard board;
  private String deployment;
  private final List<GpioEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
    pi4j = Pi4jBoard.context(GpioProvider.MOCK);
    board = new ObservedBoard(new Pi4jBoard(pi4j, PINS, true));
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.GPIO_EVENTS, message -> events.add(GpioEvent.fromJson(message.body())))
        .completion());
    deployment = Await.result(GpioVerticle.deploy(vertx, new GpioVerticle(NODE, PINS, board, Clock.systemUTC())));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
    if (!pi4j.isShutdown()) {
      pi4j.shutdown();
    }
  }

  @Test
  void initialStatesAreAppliedAtStartOnTheMock() {
    assertThat(output(RELAY).state()).isEqualTo(DigitalState.LOW);
    assertThat(output(LAMP).state()).as("active low, on: the line at 0 V").isEqualTo(DigitalState.LOW);
    assertThat(pwm(FAN).isOn()).isFalse();
    assertThat(request(new GpioRequest.Read("lamp"))).isEqualTo(new GpioReply.Pin(
        new GpioReply.PinState("lamp", 22, PinMode.OUTPUT, PinValue.HIGH, null, null, "Desk lamp"), true));
  }

  @Test
  void everyActionWorksThroughTheBusOnTheMock() {
    assertThat(pin(new GpioRequest.Write("relay", PinValue.HIGH)).value()).isEqualTo(PinValue.HIGH);
    assertThat(output(RELAY).state()).isEqualTo(DigitalState.HIGH);

    assertThat(pin(new GpioRequest.Toggle("relay")).value()).isEqualTo(PinValue.LOW);
    assertThat(output(RELAY).state()).isEqualTo(DigitalState.LOW);

    assertThat(pin(new GpioRequest.Pulse("relay", PinValue.HIGH, 100)).value()).isEqualTo(PinValue.HIGH);
    assertThat(output(RELAY).state()).isEqualTo(DigitalState.HIGH);
    Await.until(() -> output(RELAY).state() == DigitalState.LOW, "the relay back low after its pulse");

    GpioReply.PinState fan = pin(new GpioRequest.Pwm("fan", 25, 2000));
    assertThat(fan.duty()).isEqualTo(25.0);
    assertThat(fan.frequencyHz()).isEqualTo(2000);
    assertThat(pwm(FAN).isOn()).isTrue();
    assertThat(pwm(FAN).getDutyCycle()).isEqualTo(25f);
    assertThat(pwm(FAN).getFrequency()).isEqualTo(2000);
    assertThat(pin(new GpioRequest.Pwm("fan", 0, null)).frequencyHz()).as("frequency kept").isEqualTo(2000);
    assertThat(pwm(FAN).isOn()).isFalse();

    input(BUTTON).mockState(DigitalState.HIGH);
    assertThat(pin(new GpioRequest.Read("button")).value()).isEqualTo(PinValue.HIGH);

    GpioReply all = request(new GpioRequest.ReadAll());
    assertThat(all.simulated()).isTrue();
    assertThat(((GpioReply.Pins) all).pins()).extracting(GpioReply.PinState::name)
        .containsExactly("relay", "lamp", "button", "flappy", "fan");
  }

  @Test
  void unknownPinIs404WrongModeIs409OutOfRangeIs422OnTheMock() {
    assertThat(refused(new GpioRequest.Write("bcm4", PinValue.HIGH)).status()).isEqualTo(404);
    assertThat(refused(new GpioRequest.Read("nothing")).status()).isEqualTo(404);
    assertThat(refused(new GpioRequest.Write("button", PinValue.HIGH))).extracting(Codex32Exception::status, Codex32Exception::code)
        .containsExactly(409, "wrong_pin_mode");
    assertThat(refused(new GpioRequest.Toggle("fan")).status()).isEqualTo(409);
    assertThat(refused(new GpioRequest.Pwm("relay", 50, null)).status()).isEqualTo(409);
    assertThat(refused(new GpioRequest.Pwm("fan", 101, null))).extracting(Codex32Exception::status, Codex32Exception::code)
        .containsExactly(422, "out_of_range");
    assertThat(refused(new GpioRequest.Pwm("fan", -1, null)).status()).isEqualTo(422);
    assertThat(refused(new GpioRequest.Pwm("fan", 50, 0)).status()).isEqualTo(422);
    assertThat(refused(new GpioRequest.Pulse("relay", PinValue.HIGH, 0)).status()).isEqualTo(422);
    assertThat(refused(new GpioRequest.Pulse("relay", PinValue.HIGH, GpioVerticle.MAX_PULSE_MS + 1)).status()).isEqualTo(422);
    assertThat(refused(new JsonObject().put("action", "explode").put("pin", "relay")).status()).isEqualTo(400);

    pin(new GpioRequest.Pulse("relay", PinValue.HIGH, 10_000));
    assertThat(refused(new GpioRequest.Pulse("relay", PinValue.HIGH, 100))).extracting(Codex32Exception::code).isEqualTo("pulse_running");
  }

  @Test
  void aRequestForAnUndeclaredPinCannotTouchHardwareOnTheMock() {
    Map<String, ?> before = Map.copyOf(pi4j.registry().all());
    board.writes.clear();

    refused(new GpioRequest.Write("gpio4", PinValue.HIGH));
    refused(new GpioRequest.Pulse("bcm-4", PinValue.HIGH, 100));
    refused(new GpioRequest.Pwm("pwm0", 50, 1000));

    assertThat(pi4j.registry().all().keySet()).isEqualTo(before.keySet())
        .containsExactlyInAnyOrderElementsOf(PINS.stream().map(Pi4jBoard::ioId).collect(Collectors.toSet()));
    assertThat(board.writes).as("no write reached the board after the initial states").isEmpty();
  }

  @Test
  void anInputEdgeMadeOnTheMockReachesGpioEventsDebounced() {
    MockDigitalInput button = input(BUTTON);
    // a bouncing contact: five changes within the 20 ms debounce time, ending high
    button.mockState(DigitalState.HIGH).mockState(DigitalState.LOW).mockState(DigitalState.HIGH).mockState(DigitalState.LOW)
        .mockState(DigitalState.HIGH);
    Await.until(() -> events.size() >= 1, "the press on codex32.gpio.events");
    button.mockState(DigitalState.LOW);
    Await.until(() -> events.size() >= 2, "the release on codex32.gpio.events");

    assertThat(events).hasSize(2);
    GpioEvent press = events.get(0);
    assertThat(press).extracting(GpioEvent::node, GpioEvent::pin, GpioEvent::value, GpioEvent::edge, GpioEvent::dropped)
        .containsExactly(NODE, "button", PinValue.HIGH, PinEdge.RISING, 0L);
    assertThat(events.get(1)).extracting(GpioEvent::value, GpioEvent::edge).containsExactly(PinValue.LOW, PinEdge.FALLING);
  }

  @Test
  void aFlappingInputIsRateLimitedAndItsDroppedEventsCountedOnTheMock() {
    MockDigitalInput flappy = input(FLAPPY);
    for (int i = 0; i < 201; i++) {
      flappy.mockState(i % 2 == 0 ? DigitalState.HIGH : DigitalState.LOW);
    }

    GpioEvent last = Await.until(() -> events.isEmpty() ? null : events.get(events.size() - 1),
        event -> events.size() > InputWatch.BURST && event.value() == PinValue.HIGH, "a burst, then the final state");

    assertThat(events.size()).as("a burst, then the final state").isBetween(InputWatch.BURST + 1, InputWatch.BURST + 2);
    // every change is either an event or dropped; the last event is a catch-up with the latest state
    assertThat(last.dropped()).isBetween(201L - events.size() + 1, 201L - InputWatch.BURST);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).value()).as("events alternate").isNotEqualTo(events.get(i - 1).value());
    }
  }

  @Test
  void shutdownStatesAreAppliedOnUndeployBeforeThePlatformShutsDownOnTheMock() {
    pin(new GpioRequest.Write("relay", PinValue.HIGH));
    pin(new GpioRequest.Pwm("fan", 80, null));

    Await.result(vertx.undeploy(deployment));

    assertThat(board.atClose).containsEntry("relay", DigitalState.LOW)
        .as("active low, off: the line high").containsEntry("lamp", DigitalState.HIGH);
    assertThat(board.fanOnAtClose).isFalse();
    assertThat(pi4j.isShutdown()).isTrue();
  }

  @Test
  void aPulseRunningAtUndeployEndsInTheShutdownStateOnTheMock() {
    pin(new GpioRequest.Write("relay", PinValue.HIGH));
    pin(new GpioRequest.Pulse("relay", PinValue.LOW, 30_000));
    pin(new GpioRequest.Pulse("lamp", PinValue.HIGH, 30_000));

    Await.result(vertx.undeploy(deployment));

    assertThat(board.atClose).as("not the state before the pulse (high), the shutdown state").containsEntry("relay", DigitalState.LOW)
        .containsEntry("lamp", DigitalState.HIGH);
  }

  @Test
  void theNodesDeploymentOpensTheConfiguredMockProvider() {
    GpioConfig config = new GpioConfig(true, GpioProvider.MOCK, List.of(RELAY));
    Vertx other = TestVertx.create();
    try {
      Await.result(GpioVerticle.deploy(other, "pi-2", config, Clock.systemUTC()));
      GpioRequest read = new GpioRequest.ReadAll();
      GpioReply reply = GpioReply.fromJson(read, Await.result(other.eventBus().request(Addresses.gpio("pi-2"), read.toJson())).body());
      assertThat(reply).isEqualTo(new GpioReply.Pins(
          List.of(new GpioReply.PinState("relay", 17, PinMode.OUTPUT, PinValue.LOW, null, null, null)), true));
    } finally {
      Await.result(other.close());
    }
  }

  private GpioReply request(GpioRequest request) {
    return GpioReply.fromJson(request, Await.result(vertx.eventBus().request(Addresses.gpio(NODE), request.toJson())).body());
  }

  private GpioReply.PinState pin(GpioRequest request) {
    return ((GpioReply.Pin) request(request)).pin();
  }

  private Codex32Exception refused(GpioRequest request) {
    return refused(request.toJson());
  }

  private Codex32Exception refused(JsonObject body) {
    Throwable failure = Await.cause(vertx.eventBus().request(Addresses.gpio(NODE), body));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return BusFailures.fromRecipient((ReplyException) failure, "refused");
  }

  private MockDigitalOutput output(PinSpec pin) {
    return pi4j.registry().get(Pi4jBoard.ioId(pin), MockDigitalOutput.class);
  }

  private MockDigitalInput input(PinSpec pin) {
    return pi4j.registry().get(Pi4jBoard.ioId(pin), MockDigitalInput.class);
  }

  private MockPwm pwm(PinSpec pin) {
    return pi4j.registry().get(Pi4jBoard.ioId(pin), MockPwm.class);
  }

  /** The board the verticle runs on, noting its writes and the mock's outputs just before the platform shuts down. */
  private final class ObservedBoard implements GpioBoard {

    private final GpioBoard board;
    final List<String> writes = new CopyOnWriteArrayList<>();
    final Map<String, DigitalState> atClose = new ConcurrentHashMap<>();
    volatile boolean fanOnAtClose = true;

    ObservedBoard(GpioBoard board) {
      this.board = board;
    }

    @Override
    public boolean simulated() {
      return board.simulated();
    }

    @Override
    public PinValue read(String pin) {
      return board.read(pin);
    }

    @Override
    public void write(String pin, PinValue value) {
      writes.add(pin);
      board.write(pin, value);
    }

    @Override
    public void pwm(String pin, double duty, int frequencyHz) {
      writes.add(pin);
      board.pwm(pin, duty, frequencyHz);
    }

    @Override
    public void onChange(String pin, Consumer<PinValue> listener) {
      board.onChange(pin, listener);
    }

    @Override
    public void close() {
      atClose.put("relay", output(RELAY).state());
      atClose.put("lamp", output(LAMP).state());
      fanOnAtClose = GpioVerticleMockTest.this.pwm(FAN).isOn();
      board.close();
    }
  }
}
