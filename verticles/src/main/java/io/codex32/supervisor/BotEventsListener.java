package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.live.BotLiveState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what executors publish on {@code codex32.bots.events} into the gateway: status changes
 * into the live view and the store (so listings and filters show actual state), after checking that
 * they come from the bot's node; metric samples into the live view.
 */
public final class BotEventsListener {

  private static final Logger LOG = LoggerFactory.getLogger(BotEventsListener.class);

  private final BotService bots;
  private final BotLiveState live;
  /** The last pending status write per bot; touched only on the consumer's event loop. */
  private final Map<String, Future<Void>> writes = new HashMap<>();

  public BotEventsListener(BotService bots, BotLiveState live) {
    this.bots = bots;
    this.live = live;
  }

  /** Completes once the consumer is registered. */
  public Future<MessageConsumer<JsonObject>> register(Vertx vertx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.BOT_EVENTS, message -> handle(message.body()));
    return consumer.completion().map(consumer);
  }

  private void handle(JsonObject event) {
    switch (event.getString("type", "")) {
      case "status" -> status(event);
      case "metrics" -> live.applyMetrics(event);
      default -> LOG.debug("ignoring bot event of type {}", event.getString("type"));
    }
  }

  private void status(JsonObject event) {
    String botId = event.getString("bot_id");
    if (botId == null || event.getString("status") == null || event.getLong("version") == null) {
      return;
    }
    // one write per bot at a time, in arrival order: a crash loop reports faster than the store acknowledges
    Future<Void> previous = writes.getOrDefault(botId, Future.succeededFuture());
    Future<Void> write = previous.transform(done -> bots.applyStatus(event))
        .onFailure(failure -> LOG.warn("could not store status of bot {}: {}", botId, failure.getMessage()));
    writes.put(botId, write);
    write.onComplete(done -> writes.remove(botId, write));
  }
}
