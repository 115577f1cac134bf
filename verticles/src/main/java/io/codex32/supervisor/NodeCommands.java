package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a stored change to a bot on the nodes: the bot's node gets the command, a node the
 * bot left forgets it, and a status the gateway decided itself (unschedulable) is published on
 * {@code codex32.bots.events} like an executor's, so every gateway's live state and WebSocket
 * clients see it.
 */
final class NodeCommands {

  private static final Logger LOG = LoggerFactory.getLogger(NodeCommands.class);

  private final ExecutorClient executors;
  private final EventBus events;
  private final Clock clock;

  NodeCommands(ExecutorClient executors, EventBus events, Clock clock) {
    this.executors = executors;
    this.events = events;
    this.clock = clock;
  }

  /** After a stored change: publishes a decided status, lets the node the bot left forget it, and sends {@code command}. */
  Future<Bot> apply(BotChange change, NodeCommand command) {
    Bot bot = change.after();
    if (change.decidedStatus()) {
      events.publish(Addresses.BOT_EVENTS, decided(bot).toJson());
    }
    String left = change.leftNode();
    if (left != null) {
      LOG.info("bot {} moves from node {} to {}", bot.id(), left, bot.node());
      executors.send(left, NodeCommand.REMOVE.request(bot.spec()))
          .onFailure(failure -> LOG.info("node {} was not told to forget bot {}: {}", left, bot.id(), failure.getMessage()));
    }
    return tell(bot, command).map(bot);
  }

  /**
   * Sends the command to the bot's node; a node without an executor picks the desired state up
   * later, a bot without a node when it gets one.
   */
  Future<Boolean> tell(Bot bot, NodeCommand command) {
    String node = bot.node();
    if (node == null) {
      return Future.succeededFuture(false);
    }
    return executors.send(node, command.request(bot.spec()));
  }

  /**
   * Tells {@code node}'s executor to stop and forget the bot, without waiting: the bot's other
   * status writes must not queue behind a node that does not answer. One that is not reached is
   * told again at its next report.
   */
  void release(Bot bot, String node) {
    LOG.info("node {} reports bot {}, which is placed on {}: telling it to let the bot go", node, bot.id(), bot.node());
    executors.send(node, NodeCommand.REMOVE.request(bot.spec()))
        .onFailure(failure -> LOG.warn("node {} could not be told to let bot {} go: {}", node, bot.id(), failure.getMessage()));
  }

  /** The bot's stored status as a status event the gateway decided. */
  BotEvent.Status decided(Bot bot) {
    return BotEvent.Status.decided(bot.id(), bot.node(), bot.status(), bot.statusVersion(), bot.reason(), clock.instant());
  }
}
