package io.codex32.mqtt;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotSessionControl;
import io.vertx.core.Vertx;

/**
 * Closes a bot's MQTT connection on whichever gateway instance holds it. A bot token is checked at
 * CONNECT only, so deleting the bot must also end the connection it already has.
 */
public final class BotControl {

  private final Vertx vertx;

  public BotControl(Vertx vertx) {
    this.vertx = vertx;
  }

  /** For {@code BotService.onDeleted}. */
  public void botDeleted(String botId) {
    vertx.eventBus().publish(Addresses.botMqtt(botId), new BotSessionControl.Disconnect("bot deleted").toJson());
  }
}
