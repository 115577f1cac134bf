package io.codex32.gpio;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.error.Codex32Exception;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's declared pins on the bus: requests on {@code codex32.node.<id>.gpio} (read, read all,
 * write, toggle, pulse, pwm), input changes on {@code codex32.gpio.events}. A worker verticle: every
 * Pi4J call blocks (an ioctl or a sysfs write on hardware), and its one worker context keeps all
 * pin state on one thread at a time. Outputs are in their {@code initial} state once it started and
 * in their {@code shutdown} state when it stops (a running pulse is cut short); pwm pins start and
 * stop at duty 0.
 */
public final class GpioVerticle extends VerticleBase {

  public static final long MAX_PULSE_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(GpioVerticle.class);
  private static final String FAILURE_CODE = "gpio_error";

  private final String nodeId;
  private final Map<String, PinSpec> pins = new LinkedHashMap<>();
  private final GpioBoard board;
  private final Clock clock;
  private final Map<String, InputWatch> inputs = new HashMap<>();
  private final Map<String, Double> duties = new HashMap<>();
  private final Map<String, Integer> frequencies = new HashMap<>();
  private final Map<String, Long> pulses = new HashMap<>();

  public GpioVerticle(String nodeId, List<PinSpec> pins, GpioBoard board, Clock clock) {
    this.nodeId = nodeId;
    pins.forEach(pin -> this.pins.put(pin.name(), pin));
    this.board = board;
    this.clock = clock;
  }

  /**
   * Opens the pins of {@code config} (Pi4J's start-up is slow and blocking: on a worker thread) and
   * deploys the verticle on them; the pins are released again if it does not start.
   */
  public static Future<String> deploy(Vertx vertx, String nodeId, GpioConfig config, Clock clock) {
    return vertx.executeBlocking(() -> Pi4jBoard.open(config.provider(), config.pins()))
        .compose(board -> deploy(vertx, new GpioVerticle(nodeId, config.pins(), board, clock))
            .onFailure(failure -> vertx.executeBlocking(() -> {
              board.close();
              return null;
            })));
  }

  /** Deploys {@code verticle} on a worker context, as it must run. */
  public static Future<String> deploy(Vertx vertx, GpioVerticle verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  @Override
  public Future<?> start() {
    for (PinSpec pin : pins.values()) {
      if (pin.mode() == PinMode.OUTPUT) {
        board.write(pin.name(), pin.initial());
      } else if (pin.mode() == PinMode.PWM) {
        setPwm(pin, 0, pin.frequencyHz());
      } else {
        InputWatch watch = new InputWatch(pin, board.read(pin.name()), nodeId, vertx, context, clock);
        inputs.put(pin.name(), watch);
        board.onChange(pin.name(), watch::changed);
      }
    }
    LOG.info("GPIO on {}: {} pin(s){}", nodeId, pins.size(), board.simulated() ? " on Pi4J's mock platform, nothing real is touched" : "");
    return vertx.eventBus().consumer(Addresses.gpio(nodeId), this::onRequest).completion();
  }

  /** Outputs to their shutdown state and pwm off, each pin on its own: one that fails does not keep the others on. */
  @Override
  public Future<?> stop() {
    inputs.values().forEach(InputWatch::stop);
    pulses.values().forEach(vertx::cancelTimer);
    pulses.clear();
    for (PinSpec pin : pins.values()) {
      try {
        if (pin.mode() == PinMode.OUTPUT) {
          board.write(pin.name(), pin.shutdown());
        } else if (pin.mode() == PinMode.PWM) {
          board.pwm(pin.name(), 0, pin.frequencyHz());
        }
      } catch (RuntimeException e) {
        LOG.warn("GPIO pin {} could not be put in its shutdown state: {}", pin.name(), e.getMessage());
      }
    }
    board.close();
    return Future.succeededFuture();
  }

  private void onRequest(Message<Object> message) {
    try {
      message.reply(dispatch(GpioRequest.fromJson(message.body())).toJson());
    } catch (RuntimeException e) {
      if (!(e instanceof Codex32Exception)) {
        LOG.warn("GPIO request failed: {}", e.toString());
      }
      BusFailures.fail(message, e, FAILURE_CODE);
    }
  }

  private GpioReply dispatch(GpioRequest request) {
    if (request instanceof GpioRequest.ReadAll) {
      return new GpioReply.Pins(pins.values().stream().map(this::state).toList(), board.simulated());
    }
    PinSpec pin = declared(request.pin());
    if (request instanceof GpioRequest.Write write) {
      output(pin, "written");
      cancelPulse(pin);
      board.write(pin.name(), write.value());
    } else if (request instanceof GpioRequest.Toggle) {
      output(pin, "toggled");
      cancelPulse(pin);
      board.write(pin.name(), board.read(pin.name()).inverse());
    } else if (request instanceof GpioRequest.Pulse pulse) {
      pulse(pin, pulse);
    } else if (request instanceof GpioRequest.Pwm pwm) {
      pwm(pin, pwm);
    }
    return new GpioReply.Pin(state(pin), board.simulated());
  }

  private PinSpec declared(String name) {
    PinSpec pin = pins.get(name);
    if (pin == null) {
      throw Codex32Exception.notFound("no pin '" + name + "' is declared on node " + nodeId);
    }
    return pin;
  }

  private static void output(PinSpec pin, String action) {
    if (pin.mode() != PinMode.OUTPUT) {
      throw Codex32Exception.conflict("wrong_pin_mode", "pin '" + pin.name() + "' is an " + pin.mode().wireName()
          + " pin: only an output can be " + action);
    }
  }

  /** {@code value} now, the state the pin had back after the duration; one pulse at a time per pin. */
  private void pulse(PinSpec pin, GpioRequest.Pulse pulse) {
    output(pin, "pulsed");
    if (pulse.durationMs() < 1 || pulse.durationMs() > MAX_PULSE_MS) {
      throw Codex32Exception.unprocessable("out_of_range", "duration_ms must be between 1 and " + MAX_PULSE_MS + ", got "
          + pulse.durationMs());
    }
    if (pulses.containsKey(pin.name())) {
      throw Codex32Exception.conflict("pulse_running", "a pulse is running on pin '" + pin.name() + "'");
    }
    PinValue before = board.read(pin.name());
    board.write(pin.name(), pulse.value());
    pulses.put(pin.name(), vertx.setTimer(pulse.durationMs(), id -> {
      pulses.remove(pin.name());
      board.write(pin.name(), before);
    }));
  }

  /** A write or toggle wins over a running pulse: the pulse does not put its old state back. */
  private void cancelPulse(PinSpec pin) {
    Long timer = pulses.remove(pin.name());
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void pwm(PinSpec pin, GpioRequest.Pwm pwm) {
    if (pin.mode() != PinMode.PWM) {
      throw Codex32Exception.conflict("wrong_pin_mode", "pin '" + pin.name() + "' is an " + pin.mode().wireName()
          + " pin: only a pwm pin takes a duty cycle");
    }
    if (!(pwm.duty() >= 0 && pwm.duty() <= 100)) {
      throw Codex32Exception.unprocessable("out_of_range", "duty must be between 0 and 100 (percent), got " + pwm.duty());
    }
    Integer frequency = pwm.frequencyHz();
    if (frequency != null && (frequency < PinSpec.MIN_FREQUENCY_HZ || frequency > PinSpec.MAX_FREQUENCY_HZ)) {
      throw Codex32Exception.unprocessable("out_of_range", "frequency_hz must be between " + PinSpec.MIN_FREQUENCY_HZ + " and "
          + PinSpec.MAX_FREQUENCY_HZ + ", got " + frequency);
    }
    setPwm(pin, pwm.duty(), frequency == null ? frequencies.get(pin.name()) : frequency);
  }

  private void setPwm(PinSpec pin, double duty, int frequencyHz) {
    board.pwm(pin.name(), duty, frequencyHz);
    duties.put(pin.name(), duty);
    frequencies.put(pin.name(), frequencyHz);
  }

  private GpioReply.PinState state(PinSpec pin) {
    if (pin.mode() == PinMode.PWM) {
      return new GpioReply.PinState(pin.name(), pin.bcm(), pin.mode(), null, duties.get(pin.name()), frequencies.get(pin.name()),
          pin.label(), pin.confirm());
    }
    return new GpioReply.PinState(pin.name(), pin.bcm(), pin.mode(), board.read(pin.name()), null, null, pin.label(), pin.confirm());
  }
}
