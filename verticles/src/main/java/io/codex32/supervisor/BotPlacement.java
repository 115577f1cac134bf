package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a bot placed by labels runs: a start chooses its node (with {@link BotScheduler}) in the
 * same revision-checked write as the desired state; with no node to choose, it stays unassigned and
 * {@code registered} with the reason {@code unschedulable: ...}. Bots waiting for a node are placed
 * when the leader asks (a node came online, a drift pass) and when their placement changes.
 */
public final class BotPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(BotPlacement.class);
  /** The code of a command for a bot no node can take, and the prefix of the reason the bot then shows. */
  private static final String UNSCHEDULABLE = "unschedulable";

  private final BotRegistry registry;
  private final BotScheduler scheduler;
  private final NodeCommands commands;
  private final Clock clock;

  BotPlacement(BotRegistry registry, BotScheduler scheduler, NodeCommands commands, Clock clock) {
    this.registry = registry;
    this.scheduler = scheduler;
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * The bot with its new desired state; a command that launches also places a bot by labels that
   * needs a node, and a stop of a bot no node could take clears that reason.
   */
  Future<Bot> withDesired(Bot bot, DesiredState desired, NodeCommand command) {
    Bot next = bot.withDesiredState(desired, clock.instant());
    if (command.launches() && scheduler.needsNode(bot)) {
      return placed(next);
    }
    if (!command.launches() && next.node() == null && isUnschedulable(next)) {
      return Future.succeededFuture(next.withStatus(BotStatus.REGISTERED, next.statusVersion() + 1, null, clock.instant()));
    }
    return Future.succeededFuture(next);
  }

  /**
   * Places and starts, one after another (each sees where the previous went), the bots that wait
   * for a node: placed by labels, desired state running, no node assigned, not {@code failed}.
   * Run by the leading gateway when a node comes online and on every drift pass.
   */
  public Future<Void> placeWaiting() {
    return registry.all().compose(bots -> {
      Future<Void> chain = Future.succeededFuture();
      for (String id : bots.stream().filter(BotPlacement::waitsForNode).map(Bot::id).toList()) {
        chain = chain.compose(v -> placeIfWaiting(id).recover(failure -> {
          LOG.warn("bot {} could not be placed: {}", id, failure.getMessage());
          return Future.succeededFuture();
        }));
      }
      return chain;
    });
  }

  /** After a patch: a bot that waits for a node and got a new placement is placed (and started) at once, not at the next drift pass. */
  Future<Bot> placeIfMoved(BotChange change) {
    Bot saved = change.after();
    if (!waitsForNode(saved) || saved.spec().placement().equals(change.before().spec().placement())) {
      return Future.succeededFuture(saved);
    }
    return placeIfWaiting(saved.id())
        .onFailure(failure -> LOG.warn("bot {} could not be placed: {}", saved.id(), failure.getMessage()))
        .transform(placed -> registry.get(saved.id()));
  }

  /** The bot's node; 409 {@code unschedulable} (with the reason no node took it, if that is why) while it has none. */
  static String nodeOf(Bot bot) {
    String node = bot.node();
    if (node == null) {
      String why = bot.reason() != null && bot.reason().startsWith(UNSCHEDULABLE) ? ": " + bot.reason() : "";
      throw Codex32Exception.conflict(UNSCHEDULABLE, "bot '" + bot.id() + "' has no node yet" + why);
    }
    return node;
  }

  private static boolean waitsForNode(Bot bot) {
    return bot.spec().placement().bySelector() && bot.node() == null && bot.desiredState() == DesiredState.RUNNING
        && bot.status() != BotStatus.FAILED;
  }

  private Future<Void> placeIfWaiting(String id) {
    return registry.update(id, bot -> waitsForNode(bot) ? placed(bot) : Future.succeededFuture(bot))
        .compose(change -> change.isNone() ? Future.succeededFuture() : commands.apply(change, NodeCommand.START).mapEmpty());
  }

  /** The bot on the node the scheduler chooses; without one, unassigned and {@code registered} with the reason. */
  private Future<Bot> placed(Bot bot) {
    return registry.all().map(all -> scheduler.choose(bot, all).map(node -> bot.withAssignedNode(node, clock.instant()))
        .orElseGet(() -> unschedulable(bot.withAssignedNode(null, clock.instant()))));
  }

  private Bot unschedulable(Bot bot) {
    String reason = UNSCHEDULABLE + ": no online node matches " + bot.spec().placement().selectorText();
    if (bot.status() == BotStatus.REGISTERED && reason.equals(bot.reason())) {
      return bot;
    }
    return bot.withStatus(BotStatus.REGISTERED, bot.statusVersion() + 1, reason, clock.instant());
  }

  private static boolean isUnschedulable(Bot bot) {
    return bot.status() == BotStatus.REGISTERED && bot.reason() != null && bot.reason().startsWith(UNSCHEDULABLE + ":");
  }
}
