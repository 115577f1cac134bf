package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.UnreadableMessage;
import io.codex32.live.BotLiveState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what executors publish on {@code codex32.bots.events} into the gateway: status changes
 * into the live view and the store (so listings and filters show actual state), after checking that
 * they come from the bot's node; metric samples into the live view. An event this build cannot
 * read is dropped with one WARN line.
 */
public final class BotEventsListener {

  private static final Logger LOG = LoggerFactory.getLogger(BotEventsListener.class);

  private final BotStatusIngestion statuses;
  private final BotLiveState live;
  /** The last pending status write per bot; touched only on the consumer's event loop. */
  private final Map<String, Future<Void>> writes = new HashMap<>();

  public BotEventsListener(BotService bots, BotLiveState live) {
    this.statuses = bots.statuses();
    this.live = live;
  }

  /** Completes once the consumer is registered. */
  public Future<MessageConsumer<Object>> register(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.BOT_EVENTS, message -> handle(message.body()));
    return consumer.completion().map(consumer);
  }

  private void handle(Object body) {
    BotEvent event;
    try {
      event = BotEvent.fromJson(body);
    } catch (UnreadableMessage e) {
      LOG.warn("dropping an unreadable event on {}: {} ({})", Addresses.BOT_EVENTS, e.getMessage(), e.code());
      return;
    }
    if (event instanceof BotEvent.Status status) {
      status(status);
    } else if (event instanceof BotEvent.Metrics metrics) {
      live.applyMetrics(metrics);
    }
  }

  private void status(BotEvent.Status event) {
    String botId = event.botId();
    // one write per bot at a time, in arrival order: a crash loop reports faster than the store acknowledges
    Future<Void> previous = writes.getOrDefault(botId, Future.succeededFuture());
    Future<Void> write = previous.transform(done -> statuses.applyStatus(event))
        .onFailure(failure -> LOG.warn("could not store status of bot {}: {}", botId, failure.getMessage()));
    writes.put(botId, write);
    write.onComplete(done -> writes.remove(botId, write));
  }
}
