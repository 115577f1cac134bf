package io.codex32.http;

import io.codex32.bus.GpioRequest;
import io.codex32.nodes.GpioClient;
import io.codex32.supervisor.BotSelfService;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Function;

/**
 * The GPIO operations of openapi.yaml: a node's pins for users ({@code bots_read} to read,
 * {@code gpio_control} to act), and the pins a bot's spec grants it, on its own node, for the bot
 * itself. Every action is audited with the pin's state before and after ({@link GpioClient#act}).
 */
final class GpioOperations {

  private final GpioClient gpio;
  private final BotSelfService self;

  GpioOperations(GpioClient gpio, BotSelfService self) {
    this.gpio = gpio;
    this.self = self;
  }

  Map<String, Function<ApiCall, Future<ApiResult>>> all() {
    return Map.of(
        "listNodeGpio", call -> gpio.send(call.path("id"), new GpioRequest.ReadAll())
            .map(reply -> ApiResult.ok(GpioJson.pins(call.path("id"), reply))),
        "getNodeGpio", call -> read(call.path("id"), call.path("pin")),
        "setNodeGpio", call -> act(call.path("id"), GpioJson.request(call.path("pin"), call.body())),
        "getSelfGpio", call -> self.gpioNode(call.principal().botId(), call.path("pin"))
            .compose(node -> read(node, call.path("pin"))),
        "setSelfGpio", call -> self.gpioNode(call.principal().botId(), call.path("pin"))
            .compose(node -> act(node, GpioJson.request(call.path("pin"), call.body()))));
  }

  private Future<ApiResult> read(String node, String pin) {
    return gpio.send(node, new GpioRequest.Read(pin)).map(reply -> ApiResult.ok(GpioJson.pin(reply)));
  }

  private Future<ApiResult> act(String node, GpioRequest request) {
    return gpio.act(node, request).map(change -> ApiResult.ok(GpioJson.pin(change.after())).withAuditDetails(change.details()));
  }
}
