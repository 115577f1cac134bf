package io.codex32.nodes;

import io.codex32.bus.GpioReply;
import io.codex32.bus.PinMode;

/** An action on a pin with the pin's state read just before it, and as the node reported it after. */
public record PinChange(String node, GpioReply.PinState before, GpioReply.Pin after) {

  /** The audit details: {@code node=local pin=relay old=low new=high} (pwm: {@code old=0.0%@1000Hz}). */
  public String details() {
    return "node=" + node + " pin=" + before.name() + " old=" + state(before) + " new=" + state(after.pin());
  }

  private static String state(GpioReply.PinState pin) {
    return pin.mode() == PinMode.PWM ? pin.duty() + "%@" + pin.frequencyHz() + "Hz" : pin.value().wireName();
  }
}
