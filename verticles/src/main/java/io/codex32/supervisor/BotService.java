package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotPatch;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotSpec;
import io.codex32.bot.DesiredState;
import io.codex32.bus.BotLogLine;
import io.codex32.bus.ExecutorRequest;
import io.codex32.live.BotLiveState;
import io.codex32.live.MetricPoint;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of bot management as the API and the leader use it: bots are kept by the
 * {@link BotRegistry}, placed by {@link BotPlacement}, and their reports taken in by
 * {@link BotStatusIngestion}; this class changes desired states and sends the commands that follow
 * to the bot's node, brings a node's bots to their desired state (reconcile, drift), and reads what
 * the node and the live state know of a bot.
 */
public final class BotService {

  private static final Logger LOG = LoggerFactory.getLogger(BotService.class);

  private final BotRegistry registry;
  private final BotPlacement placement;
  private final BotStatusIngestion statuses;
  private final NodeCommands commands;
  private final ExecutorClient executors;
  private final BotLiveState live;

  private BotService(BotRegistry registry, BotPlacement placement, BotStatusIngestion statuses, NodeCommands commands,
      ExecutorClient executors, BotLiveState live) {
    this.registry = registry;
    this.placement = placement;
    this.statuses = statuses;
    this.commands = commands;
    this.executors = executors;
    this.live = live;
  }

  /** {@code events}: where status changes the gateway decides itself (unschedulable) are published, like an executor's. */
  public static BotService create(DocumentStore store, ExecutorClient executors, BotLiveState live, BotScheduler scheduler,
      EventBus events, Clock clock) {
    NodeCommands commands = new NodeCommands(executors, events, clock);
    BotRegistry registry = new BotRegistry(store, commands, live, clock);
    return new BotService(registry, new BotPlacement(registry, scheduler, commands, clock),
        new BotStatusIngestion(registry, live, commands, clock), commands, executors, live);
  }

  BotRegistry registry() {
    return registry;
  }

  BotPlacement placement() {
    return placement;
  }

  BotStatusIngestion statuses() {
    return statuses;
  }

  /** The stored bot with the live fields of its process. */
  public Future<BotView> view(Bot bot) {
    return live.view(bot.id()).map(fields -> new BotView(bot, fields));
  }

  /** The bots matching {@code query}, ordered by id, one page of them with their live fields. */
  public Future<BotPage> list(BotQuery query) {
    return registry.all().compose(all -> {
      List<Bot> matching = all.stream().filter(query::matches).sorted(Comparator.comparing(Bot::id)).toList();
      List<Bot> page = matching.stream().skip(query.offset()).limit(query.limit()).toList();
      return live.views(page.stream().map(Bot::id).toList())
          .map(views -> new BotPage(page.stream().map(bot -> new BotView(bot, views.get(bot.id()))).toList(), matching.size(),
              query.offset(), query.limit()));
    });
  }

  public Future<Bot> create(BotSpec spec) {
    return registry.create(spec);
  }

  public Future<Bot> get(String id) {
    return registry.get(id);
  }

  /**
   * Applies the merge patch to the spec; {@code expectedRevision} (from If-Match, or -1) guards
   * against overwriting a change made meanwhile. A bot waiting for a node that got a new placement
   * is placed right away.
   */
  public Future<Bot> patch(String id, BotPatch patch, long expectedRevision) {
    return registry.patch(id, patch, expectedRevision).compose(placement::placeIfMoved);
  }

  /** {@code listener} gets the id of every bot deleted from now on, once the deletion is stored. */
  public void onDeleted(Consumer<String> listener) {
    registry.onDeleted(listener);
  }

  /** Deletes the bot: 409 {@code bot_running} when it may run, unless {@code force}d (its node then removes it first). */
  public Future<Void> delete(String id, boolean force) {
    return registry.delete(id, force);
  }

  public Future<Bot> start(String id) {
    return changeDesired(id, DesiredState.RUNNING, NodeCommand.START);
  }

  public Future<Bot> stop(String id) {
    return changeDesired(id, DesiredState.STOPPED, NodeCommand.STOP);
  }

  public Future<Bot> restart(String id) {
    return changeDesired(id, DesiredState.RUNNING, NodeCommand.RESTART);
  }

  /** The newest lines the bot wrote ({@code since}: only later ones, when given), oldest first, from its node's executor. */
  public Future<List<BotLogLine>> logs(String id, int tail, Instant since) {
    return registry.get(id).compose(bot -> executors.logs(BotPlacement.nodeOf(bot), new ExecutorRequest.Logs(id, tail, since)));
  }

  /** The bot's recent CPU and memory samples, oldest first, from the live state. */
  public Future<List<MetricPoint>> metrics(String id, int limit) {
    return registry.get(id).compose(bot -> live.metrics(id, limit));
  }

  /**
   * Re-sends every bot's desired state to the node's executor, e.g. when the executor (re)starts.
   * A bot the executor refuses (say, its command is no longer allowed) is reported by its status
   * and does not keep the others from starting.
   */
  public Future<Void> reconcile(String nodeId) {
    return registry.onNode(nodeId).compose(bots -> Future.join(bots.stream()
        .map(bot -> commands.tell(bot, bot.desiredState() == DesiredState.RUNNING ? NodeCommand.START : NodeCommand.STOP)
            .recover(failure -> {
              LOG.warn("bot {} could not be brought to its desired state: {}", bot.id(), failure.getMessage());
              return Future.succeededFuture(false);
            }))
        .toList())).mapEmpty();
  }

  /**
   * Corrects bots whose reported state drifted from the desired one on the node: started where
   * they should run but are stopped, registered or unknown; stopped where they should not run.
   * A {@code failed} bot is left to an operator, as its restart policy decided.
   */
  public Future<Void> correctDrift(String nodeId) {
    return registry.onNode(nodeId).compose(bots -> Future.join(bots.stream()
        .map(bot -> {
          NodeCommand correction = drift(bot);
          return correction == null ? Future.succeededFuture(false) : commands.tell(bot, correction).recover(failure -> {
            LOG.warn("drift of bot {} not corrected: {}", bot.id(), failure.getMessage());
            return Future.succeededFuture(false);
          });
        })
        .toList())).mapEmpty();
  }

  private static NodeCommand drift(Bot bot) {
    boolean wantRunning = bot.desiredState() == DesiredState.RUNNING;
    return switch (bot.status()) {
      case REGISTERED, STOPPED, UNKNOWN -> wantRunning ? NodeCommand.START : null;
      case RUNNING, STARTING, RESTARTING -> wantRunning ? null : NodeCommand.STOP;
      default -> null;
    };
  }

  private Future<Bot> changeDesired(String id, DesiredState desired, NodeCommand command) {
    return registry.update(id, bot -> placement.withDesired(bot, desired, command)).compose(change -> commands.apply(change, command));
  }
}
