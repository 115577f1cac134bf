package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A debounced change of an input pin, published on {@code codex32.gpio.events}. {@code dropped}: how
 * many changes of this pin the node did not publish since it started, because the pin changed
 * faster than its event rate limit (the latest state is always published once the limit allows).
 */
public record GpioEvent(String node, String pin, PinValue value, PinEdge edge, Instant time, long dropped) implements BusMessage {

  private static final String NODE = "node";
  private static final String PIN = "pin";
  private static final String VALUE = "value";
  private static final String EDGE = "edge";
  private static final String TIME = "time";
  private static final String DROPPED = "dropped";

  @Override
  public JsonObject toJson() {
    return Contract.body().put(NODE, node).put(PIN, pin).put(VALUE, value.wireName()).put(EDGE, edge.wireName())
        .put(TIME, time.toString()).put(DROPPED, dropped);
  }

  public static GpioEvent fromJson(Object body) {
    Fields f = Fields.of(body);
    Long dropped = f.optionalNumber(DROPPED);
    return new GpioEvent(f.text(NODE), f.text(PIN), f.parsed(VALUE, PinValue::parse), f.parsed(EDGE, PinEdge::parse),
        f.instant(TIME), dropped == null ? 0 : dropped);
  }
}
