package io.codex32.http;

import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.error.Codex32Exception;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;

/**
 * How the API shows GPIO pins and reads a pin action (the JSON of openapi.yaml's GpioPin, GpioPins
 * and GpioAction): every answer says whether the node is {@code simulated}.
 */
final class GpioJson {

  private static final String ACTION = "action";
  private static final String VALUE = "value";
  private static final String DURATION_MS = "duration_ms";
  private static final String DUTY = "duty";
  private static final String FREQUENCY_HZ = "frequency_hz";
  private static final String SIMULATED = "simulated";

  private GpioJson() {
  }

  /** {@code {"name","bcm","mode","value"|"duty","frequency_hz","label","simulated"}}. */
  static JsonObject pin(GpioReply.PinState pin, boolean simulated) {
    JsonObject json = new JsonObject().put("name", pin.name()).put("bcm", pin.bcm()).put("mode", pin.mode().wireName());
    if (pin.mode() == PinMode.PWM) {
      json.put(DUTY, pin.duty()).put(FREQUENCY_HZ, pin.frequencyHz());
    } else {
      json.put(VALUE, pin.value().wireName());
    }
    return json.put("label", pin.label()).put(SIMULATED, simulated);
  }

  static JsonObject pin(GpioReply reply) {
    GpioReply.Pin one = (GpioReply.Pin) reply;
    return pin(one.pin(), one.simulated());
  }

  /** {@code {"node","simulated","items":[pin, ...]}}. */
  static JsonObject pins(String node, GpioReply reply) {
    GpioReply.Pins all = (GpioReply.Pins) reply;
    JsonArray items = new JsonArray();
    all.pins().forEach(state -> items.add(pin(state, all.simulated())));
    return new JsonObject().put("node", node).put(SIMULATED, all.simulated()).put("items", items);
  }

  /**
   * The request a POST body asks for on {@code pin}. The OpenAPI schema has checked the keys and
   * their types; here each action gets exactly its own keys (400 otherwise). Ranges are the node's
   * to check (422).
   */
  static GpioRequest request(String pin, JsonObject body) {
    GpioRequest.Action action = Arrays.stream(GpioRequest.Action.values()).filter(a -> a.wireName().equals(body.getString(ACTION)))
        .findFirst().orElseThrow(() -> Codex32Exception.badRequest("invalid_action", "action must be write, toggle, pulse or pwm"));
    return switch (action) {
      case WRITE -> {
        only(body, action, Set.of(VALUE), Set.of(VALUE));
        yield new GpioRequest.Write(pin, PinValue.parse(body.getString(VALUE)));
      }
      case TOGGLE -> {
        only(body, action, Set.of(), Set.of());
        yield new GpioRequest.Toggle(pin);
      }
      case PULSE -> {
        only(body, action, Set.of(DURATION_MS), Set.of(DURATION_MS, VALUE));
        yield new GpioRequest.Pulse(pin, PinValue.parse(body.getString(VALUE, PinValue.HIGH.wireName())), body.getLong(DURATION_MS));
      }
      case PWM -> {
        only(body, action, Set.of(DUTY), Set.of(DUTY, FREQUENCY_HZ));
        yield new GpioRequest.Pwm(pin, body.getNumber(DUTY).doubleValue(), body.getInteger(FREQUENCY_HZ));
      }
      case READ, READ_ALL -> throw Codex32Exception.badRequest("invalid_action", "action must be write, toggle, pulse or pwm");
    };
  }

  private static void only(JsonObject body, GpioRequest.Action action, Set<String> required, Set<String> allowed) {
    for (String key : required) {
      if (body.getValue(key) == null) {
        throw Codex32Exception.badRequest("invalid_action", "action " + action.wireName() + " needs " + key);
      }
    }
    for (String key : body.fieldNames()) {
      if (!key.equals(ACTION) && !allowed.contains(key)) {
        throw Codex32Exception.badRequest("invalid_action", "action " + action.wireName() + " takes no " + key);
      }
    }
  }}
