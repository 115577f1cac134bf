package io.codex32.chat;

import io.codex32.bot.BotQuery;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.chat.intent.IntentCatalog;
import io.codex32.chat.intent.Named;
import io.codex32.devices.DeviceService;
import io.codex32.nodes.GpioClient;
import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeView;
import io.codex32.supervisor.BotService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names a person can say right now, read live from the services: bots, devices, nodes, and the
 * declared pins of every online node (the same pin name may exist on several). Also the spoken forms of
 * all of them, which constrain speech recognition to what exists.
 */
final class Names {

  static final String BOT = "bot";
  static final String DEVICE = "device";
  static final String NODE = "node";
  static final String PIN = "pin";
  static final String WORKFLOW = "workflow";
  /** Command names a device is commonly sent, for speech; typed commands may be anything. */
  private static final List<String> SPOKEN_COMMANDS = List.of("reboot", "restart", "reset", "on", "off", "open", "close", "start", "stop",
      "ping", "status", "update");

  private final BotService bots;
  private final DeviceService devices;
  private final NodeRegistry nodes;
  private final GpioClient gpio;

  Names(BotService bots, DeviceService devices, NodeRegistry nodes, GpioClient gpio) {
    this.bots = bots;
    this.devices = devices;
    this.nodes = nodes;
    this.gpio = gpio;
  }

  Future<List<Named>> bots() {
    return bots.list(new BotQuery(null, null, null, 0, Integer.MAX_VALUE))
        .map(page -> page.items().stream().map(v -> new Named(v.bot().id(), v.bot().spec().name())).toList());
  }

  Future<List<Named>> devices() {
    return devices.list().map(list -> list.stream().map(d -> new Named(d.id(), d.name())).toList());
  }

  List<Named> nodes() {
    return nodes.list().stream().map(n -> new Named(n.id(), n.heartbeat().hostname())).toList();
  }

  /** The pins of {@code node}, or of every online node when null; a node that does not answer has none. */
  Future<List<PinRef>> pins(String node) {
    List<String> asked = node != null ? List.of(node) : nodes.list().stream().filter(NodeView::online).map(NodeView::id).toList();
    List<Future<List<PinRef>>> replies = asked.stream().map(id -> gpio.send(id, new GpioRequest.ReadAll())
        .map(reply -> ((GpioReply.Pins) reply).pins().stream().map(pin -> new PinRef(id, pin)).toList())
        .otherwise(List.of())).toList();
    return Future.join(replies).map(done -> replies.stream().flatMap(f -> f.result().stream()).toList());
  }

  /** Spoken forms of every name, per slot of the intent templates. */
  Future<Map<String, List<String>>> spoken() {
    return Future.all(bots(), devices(), pins(null)).map(all -> {
      Map<String, List<String>> slots = new LinkedHashMap<>();
      slots.put(BOT, spokenForms(all.resultAt(0)));
      slots.put(DEVICE, spokenForms(all.resultAt(1)));
      slots.put(NODE, spokenForms(nodes()));
      List<PinRef> pins = all.resultAt(2);
      slots.put(PIN, spokenForms(pins.stream().map(PinRef::named).toList()));
      slots.put(WORKFLOW, List.of());
      slots.put("command", SPOKEN_COMMANDS);
      slots.put("target", slots.values().stream().flatMap(List::stream).distinct().toList());
      return slots;
    });
  }

  private static List<String> spokenForms(List<Named> names) {
    return names.stream().flatMap(n -> Stream.of(n.id(), n.name())).filter(s -> s != null && !s.isBlank())
        .map(IntentCatalog::spoken).filter(s -> !s.isBlank()).distinct().collect(Collectors.toCollection(ArrayList::new));
  }

  /** A declared pin of a node. */
  record PinRef(String node, GpioReply.PinState pin) {

    Named named() {
      return new Named(pin.name(), pin.label() == null ? pin.name() : pin.label());
    }
  }
}
