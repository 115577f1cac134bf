package io.codex32.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a node's GPIO answers to a {@link GpioRequest}: the state of the pin it acted on, or of every
 * declared pin for {@link GpioRequest.ReadAll}. {@code simulated}: the node runs on Pi4J's mock
 * platform, not on hardware. Failures are reply failures ({@link BusFailures}): 404 unknown pin, 409
 * action not allowed for the pin's mode, 422 value out of range.
 */
public sealed interface GpioReply extends BusMessage {

  String SIMULATED = "simulated";
  String PIN = "pin";
  String PINS = "pins";
  String NAME = "name";
  String BCM = "bcm";
  String MODE = "mode";
  String VALUE = "value";
  String DUTY = "duty";
  String FREQUENCY_HZ = "frequency_hz";
  String LABEL = "label";
  String CONFIRM = "confirm";

  /**
   * One declared pin as it is now: {@code value} for an input or output, {@code duty} (percent) and
   * {@code frequencyHz} for a pwm pin (the others null). {@code label}: null when none is configured.
   * {@code confirm}: chat and voice ask before changing it (absent on the wire when false).
   */
  record PinState(String name, int bcm, PinMode mode, PinValue value, Double duty, Integer frequencyHz, String label,
      boolean confirm) {

    public PinState(String name, int bcm, PinMode mode, PinValue value, Double duty, Integer frequencyHz, String label) {
      this(name, bcm, mode, value, duty, frequencyHz, label, false);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put(NAME, name).put(BCM, bcm).put(MODE, mode.wireName());
      if (value != null) {
        json.put(VALUE, value.wireName());
      } else {
        json.put(DUTY, duty).put(FREQUENCY_HZ, frequencyHz);
      }
      if (confirm) {
        json.put(CONFIRM, true);
      }
      return label == null ? json : json.put(LABEL, label);
    }

    static PinState fromJson(Object element) {
      if (!(element instanceof JsonObject)) {
        throw UnreadableMessage.malformed(PINS, "an array of objects");
      }
      Fields f = Fields.of(element);
      PinMode mode = f.parsed(MODE, PinMode::parse);
      return new PinState(f.text(NAME), f.integer(BCM), mode, mode == PinMode.PWM ? null : f.parsed(VALUE, PinValue::parse),
          mode == PinMode.PWM ? f.decimal(DUTY) : null, f.optionalInt(FREQUENCY_HZ), f.optionalText(LABEL), f.flag(CONFIRM));
    }
  }

  /** The pin a request named, after the request was carried out. */
  record Pin(PinState pin, boolean simulated) implements GpioReply {
  }

  /** Every declared pin, in the order of the configuration. */
  record Pins(List<PinState> pins, boolean simulated) implements GpioReply {

    public Pins {
      pins = List.copyOf(pins);
    }
  }

  boolean simulated();

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body().put(SIMULATED, simulated());
    if (this instanceof Pin one) {
      return json.put(PIN, one.pin().toJson());
    }
    JsonArray pins = new JsonArray();
    ((Pins) this).pins().forEach(state -> pins.add(state.toJson()));
    return json.put(PINS, pins);
  }

  /** The reply to {@code request} in {@code body}. */
  static GpioReply fromJson(GpioRequest request, Object body) {
    Fields f = Fields.of(body);
    if (request instanceof GpioRequest.ReadAll) {
      return new Pins(f.list(PINS, PinState::fromJson), f.flag(SIMULATED));
    }
    return new Pin(PinState.fromJson(f.object(PIN)), f.flag(SIMULATED));
  }
}
