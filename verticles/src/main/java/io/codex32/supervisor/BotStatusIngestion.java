package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotStatus;
import io.codex32.bus.BotEvent;
import io.codex32.live.BotLiveState;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * Takes status events into the live state and the store. Events may arrive out of order and from
 * anywhere: a report from a node the bot is not on is dropped (and that node told to let the bot
 * go), one not newer than the live state's is dropped, and the store keeps the newest version.
 */
public final class BotStatusIngestion {

  private final BotRegistry registry;
  private final BotLiveState live;
  private final NodeCommands commands;
  private final Clock clock;

  BotStatusIngestion(BotRegistry registry, BotLiveState live, NodeCommands commands, Clock clock) {
    this.registry = registry;
    this.live = live;
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * Takes a status event from the executor of its {@code node} (none: decided by a gateway) into the
   * live state and the store, unless a newer one is known already; the store write is retried when
   * a concurrent write to the bot intervenes. A report from a node the bot is not on is dropped, and
   * that node is told to let the bot go (a stale entry from before the bot moved, or a second copy
   * of it), unless it is stopping the bot already.
   */
  public Future<Void> applyStatus(BotEvent.Status event) {
    return registry.find(event.botId()).compose(bot -> {
      if (bot == null) {
        return Future.succeededFuture();
      }
      if (event.node() != null && !event.node().equals(bot.node())) {
        if (event.status() != BotStatus.STOPPING) {
          commands.release(bot, event.node());
        }
        return Future.succeededFuture();
      }
      if (!live.applyStatus(event)) {
        return Future.succeededFuture();
      }
      return storeStatus(bot, event, BotRegistry.WRITE_ATTEMPTS);
    });
  }

  private Future<Void> storeStatus(Bot bot, BotEvent.Status event, int attempts) {
    if (bot.statusVersion() >= event.version()) {
      return Future.succeededFuture();
    }
    return registry.save(bot.withStatus(event.status(), event.version(), event.reason(), clock.instant())).<Void>mapEmpty()
        .recover(failure -> attempts > 1 && BotRegistry.isRevisionConflict(failure)
            ? registry.find(bot.id()).compose(latest -> latest == null ? Future.succeededFuture()
                : storeStatus(latest, event, attempts - 1))
            : Future.failedFuture(failure));
  }

  /**
   * The status events that mark the bots of a lost node {@code unknown}: every bot placed there
   * that may have a process (its last report may no longer be true). Each event's version is just
   * above the last stored one, so the node's own next report (versions grow with its clock)
   * supersedes it.
   */
  public Future<List<BotEvent.Status>> lostNodeEvents(String nodeId, String reason) {
    return registry.onNode(nodeId).map(bots -> bots.stream()
        .filter(bot -> bot.status().mayHaveProcess() && bot.status() != BotStatus.UNKNOWN)
        .map(bot -> commands.decided(bot.withStatus(BotStatus.UNKNOWN, bot.statusVersion() + 1, reason, clock.instant())))
        .toList());
  }
}
