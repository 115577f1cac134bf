package io.codex32.chat;

import io.codex32.bus.GpioRequest;
import io.codex32.bus.PinValue;
import io.codex32.chat.intent.IntentMatch;
import io.codex32.chat.intent.Named;
import io.codex32.nodes.GpioClient;
import io.codex32.security.Permission;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writing, toggling and pulsing the declared output pins of a node, through the same client and
 * audit record as {@code POST /api/v1/nodes/{id}/gpio/{pin}}. A pin marked {@code confirm} is
 * changed only after a yes. When a pin name exists on several nodes and the sentence named none, the
 * node last talked about is meant, and otherwise the person is asked which.
 */
final class GpioIntents {

  private static final String OPERATION = "setNodeGpio";
  private static final long DEFAULT_PULSE_MS = 500;

  private final GpioClient gpio;
  private final Names names;
  private final Permits permits;
  private final ChatAudit audit;

  GpioIntents(GpioClient gpio, Names names, Permits permits, ChatAudit audit) {
    this.gpio = gpio;
    this.names = names;
    this.permits = permits;
    this.audit = audit;
  }

  Map<String, IntentHandler> handlers() {
    return Map.of(
        "gpio_write", turn -> act(turn, pin -> new GpioRequest.Write(pin, value(turn.slot("value")))),
        "gpio_toggle", turn -> act(turn, GpioRequest.Toggle::new),
        "gpio_pulse", turn -> act(turn, pin -> new GpioRequest.Pulse(pin, PinValue.HIGH, pulseMs(turn.slot("ms")))));
  }

  private Future<ChatReply> act(Turn turn, Function<String, GpioRequest> request) {
    return permits.act(turn, Permission.GPIO_CONTROL, "drive GPIO pins", OPERATION, turn.slot("node"))
        .compose(v -> node(turn))
        .compose(node -> names.pins(node))
        .compose(pins -> NameResolution.resolve(turn, "pin", Names.PIN, Future.succeededFuture(distinctNames(pins)))
            .compose(named -> located(turn, pins, named)))
        .compose(pin -> {
          GpioRequest wanted = request.apply(pin.pin().name());
          if (!pin.pin().confirm()) {
            return carryOut(turn, pin, wanted);
          }
          String question = describe(wanted) + " " + pin.pin().name() + " on node " + pin.node() + "? Say yes to confirm or no to cancel.";
          turn.conversation().ask(question, () -> carryOut(turn, pin, wanted));
          return Future.succeededFuture(new ChatReply(question, turn.intent(), turn.match().slots(),
              new JsonObject().put("node", pin.node()).put("pin", pin.pin().name()), ChatReply.CONFIRMATION, null));
        });
  }

  /** The node the sentence named, or null for every online node. */
  private Future<String> node(Turn turn) {
    if (turn.slot("node") == null) {
      return Future.succeededFuture(null);
    }
    return NameResolution.resolve(turn, "node", Names.NODE, Future.succeededFuture(names.nodes())).map(Named::id);
  }

  private static List<Named> distinctNames(List<Names.PinRef> pins) {
    return pins.stream().map(Names.PinRef::named).collect(Collectors.toMap(Named::id, n -> n, (a, b) -> a)).values().stream().toList();
  }

  /** The one node carrying the pin: the only one, the one last talked about, or asked for. */
  private static Future<Names.PinRef> located(Turn turn, List<Names.PinRef> pins, Named pin) {
    List<Names.PinRef> carrying = pins.stream().filter(p -> p.pin().name().equals(pin.id())).toList();
    if (carrying.size() == 1) {
      return Future.succeededFuture(carrying.get(0));
    }
    Named lastNode = turn.conversation().last(Names.NODE);
    if (lastNode != null) {
      for (Names.PinRef ref : carrying) {
        if (ref.node().equals(lastNode.id())) {
          return Future.succeededFuture(ref);
        }
      }
    }
    List<Named> nodes = carrying.stream().map(p -> new Named(p.node(), p.node())).toList();
    Map<String, String> slots = new HashMap<>(turn.match().slots());
    slots.put("pin", pin.id());
    turn.conversation().askChoice(new IntentMatch(turn.intent(), slots), "node", nodes);
    return Future.failedFuture(new Answer(new ChatReply("Pin " + pin.id() + " is on several nodes. Which node: "
        + NameResolution.either(nodes) + "?", turn.intent(), turn.match().slots(), null, ChatReply.CHOICE, NameResolution.ids(nodes))));
  }

  private Future<ChatReply> carryOut(Turn turn, Names.PinRef pin, GpioRequest request) {
    return gpio.act(pin.node(), request)
        .compose(change -> audit.success(turn, OPERATION, pin.node(), change.details())
            .map(v -> ChatReply.say(done(request) + " " + pin.pin().name() + " on node " + pin.node() + "; it is now "
                + change.after().pin().value().wireName() + ".", turn.intent(), turn.match().slots(),
                change.after().pin().toJson().put("node", pin.node()).put("simulated", change.after().simulated()))))
        .recover(failure -> audit.failed(turn, OPERATION, pin.node(), failure)
            .compose(v -> Future.failedFuture(Answers.failed(turn, describe(request).toLowerCase(Locale.ROOT) + " "
                + pin.pin().name(), failure))));
  }

  private static String describe(GpioRequest request) {
    if (request instanceof GpioRequest.Write write) {
      return "Switch " + (write.value() == PinValue.HIGH ? "on" : "off");
    }
    return request instanceof GpioRequest.Toggle ? "Toggle" : "Pulse";
  }

  private static String done(GpioRequest request) {
    if (request instanceof GpioRequest.Write write) {
      return "Switched " + (write.value() == PinValue.HIGH ? "on" : "off");
    }
    return request instanceof GpioRequest.Toggle ? "Toggled" : "Pulsed";
  }

  static PinValue value(String said) {
    return "on".equals(said) || "high".equals(said) ? PinValue.HIGH : PinValue.LOW;
  }

  static long pulseMs(String said) {
    if (said == null) {
      return DEFAULT_PULSE_MS;
    }
    try {
      return Long.parseLong(said);
    } catch (NumberFormatException e) {
      return DEFAULT_PULSE_MS;
    }
  }
}
