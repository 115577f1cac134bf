package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * A request to a node's GPIO on {@code codex32.node.<id>.gpio}; the reply is a {@link GpioReply}.
 * Only pins declared in the node's configuration can be named. Ranges (duty, frequency, pulse
 * duration) are checked by the node, which answers 422 for a value out of range. The JSON mapping
 * below is the only place its wire keys are written.
 */
public sealed interface GpioRequest extends BusMessage {

  String ACTION = "action";
  String PIN = "pin";
  String VALUE = "value";
  String DURATION_MS = "duration_ms";
  String DUTY = "duty";
  String FREQUENCY_HZ = "frequency_hz";

  /** The closed set of actions, with their wire names. */
  enum Action {
    READ, READ_ALL, WRITE, TOGGLE, PULSE, PWM;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Action parse(String text) {
      return Arrays.stream(values()).filter(a -> a.wireName().equals(text)).findFirst()
          .orElseThrow(() -> UnreadableMessage.of("unknown_action", "unknown gpio action '" + text + "'"));
    }
  }

  /** The state of one pin. */
  record Read(String pin) implements GpioRequest {
  }

  /** The state of every declared pin. */
  record ReadAll() implements GpioRequest {
  }

  /** Drive an output pin to {@code value}. */
  record Write(String pin, PinValue value) implements GpioRequest {
  }

  /** Drive an output pin to the inverse of its state. */
  record Toggle(String pin) implements GpioRequest {
  }

  /** Drive an output pin to {@code value} for {@code durationMs}, then back to the state it had. */
  record Pulse(String pin, PinValue value, long durationMs) implements GpioRequest {
  }

  /** Set a pwm pin's duty cycle (percent) and, when given, its frequency (null: keep it). */
  record Pwm(String pin, double duty, Integer frequencyHz) implements GpioRequest {
  }

  default Action action() {
    if (this instanceof Read) {
      return Action.READ;
    } else if (this instanceof ReadAll) {
      return Action.READ_ALL;
    } else if (this instanceof Write) {
      return Action.WRITE;
    } else if (this instanceof Toggle) {
      return Action.TOGGLE;
    }
    return this instanceof Pulse ? Action.PULSE : Action.PWM;
  }

  /** The pin the request names (null for {@link ReadAll}). */
  default String pin() {
    return null;
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body().put(ACTION, action().wireName());
    if (!(this instanceof ReadAll)) {
      json.put(PIN, pin());
    }
    if (this instanceof Write write) {
      json.put(VALUE, write.value().wireName());
    } else if (this instanceof Pulse pulse) {
      json.put(VALUE, pulse.value().wireName()).put(DURATION_MS, pulse.durationMs());
    } else if (this instanceof Pwm pwm) {
      json.put(DUTY, pwm.duty());
      if (pwm.frequencyHz() != null) {
        json.put(FREQUENCY_HZ, pwm.frequencyHz());
      }
    }
    return json;
  }

  /** The request in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static GpioRequest fromJson(Object body) {
    Fields f = Fields.of(body);
    Action action = Action.parse(f.text(ACTION));
    return switch (action) {
      case READ_ALL -> new ReadAll();
      case READ -> new Read(f.text(PIN));
      case WRITE -> new Write(f.text(PIN), f.parsed(VALUE, PinValue::parse));
      case TOGGLE -> new Toggle(f.text(PIN));
      case PULSE -> new Pulse(f.text(PIN), f.parsed(VALUE, PinValue::parse), f.number(DURATION_MS));
      case PWM -> new Pwm(f.text(PIN), f.decimal(DUTY), f.optionalInt(FREQUENCY_HZ));
    };
  }
}
