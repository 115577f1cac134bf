package io.codex32.gpio;

import io.codex32.bus.PinValue;
import java.util.function.Consumer;

/**
 * The pins of one node as hardware (or Pi4J's mock of it): only the declared pins exist, values are
 * logical ({@code active_low} applied). Every method may block and is called off the event loop;
 * listeners are called on the provider's own threads.
 */
public interface GpioBoard extends AutoCloseable {

  /** True on Pi4J's mock platform: nothing real is touched. */
  boolean simulated();

  PinValue read(String pin);

  void write(String pin, PinValue value);

  /** Duty cycle in percent (0 turns the output off) at {@code frequencyHz}. */
  void pwm(String pin, double duty, int frequencyHz);

  /** Calls {@code listener} with each raw (not debounced) change of an input pin. */
  void onChange(String pin, Consumer<PinValue> listener);

  /** Releases the pins and the provider; no state is applied here. */
  @Override
  void close();
}
