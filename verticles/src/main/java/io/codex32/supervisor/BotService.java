package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.bus.Addresses;
import io.codex32.error.Codex32Exception;
import io.codex32.executor.ExecutorClient;
import io.codex32.executor.ExecutorCommand;
import io.codex32.executor.ExecutorCommand.Action;
import io.codex32.live.BotLiveState;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of bot management: specs and desired state live in the store; commands go to
 * the executor of the bot's node (named by its spec, or assigned at start for a bot placed by
 * labels). The executor reports actual status back on the event bus.
 */
public final class BotService {

  public static final String COLLECTION = "bots";

  private static final Logger LOG = LoggerFactory.getLogger(BotService.class);
  private static final int STATUS_WRITE_ATTEMPTS = 3;
  /** The code of a start no node can take, and the prefix of the reason the bot then shows. */
  private static final String UNSCHEDULABLE = "unschedulable";

  private final DocumentStore store;
  private final ExecutorClient executors;
  private final BotLiveState live;
  private final BotScheduler scheduler;
  private final EventBus events;
  private final Clock clock;
  private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

  /** The outcome of one stored change to a bot: {@code after == before} when nothing needed to change. */
  private record Change(Bot before, Bot after) {

    boolean none() {
      return before == after;
    }
  }

  /** {@code events}: where status changes the gateway decides itself (unschedulable) are published, like an executor's. */
  public BotService(DocumentStore store, ExecutorClient executors, BotLiveState live, BotScheduler scheduler, EventBus events,
      Clock clock) {
    this.store = store;
    this.executors = executors;
    this.live = live;
    this.scheduler = scheduler;
    this.events = events;
    this.clock = clock;
  }

  /** The API view of a bot: stored spec and status plus the live process fields. */
  public Future<JsonObject> view(Bot bot) {
    return live.view(bot.id()).map(bot::toApiJson);
  }

  public Future<Bot> create(JsonObject specJson) {
    BotSpec spec = BotSpec.fromJson(specJson);
    var now = clock.instant();
    Bot bot = new Bot(spec, DesiredState.STOPPED, BotStatus.REGISTERED, 1, null, null, now, now, 0);
    return store.insert(COLLECTION, spec.id(), bot.toStoredJson())
        .recover(failure -> Future.failedFuture(renameConflict(failure, spec.id())))
        .map(BotService::toBot);
  }

  public Future<Bot> get(String id) {
    return store.get(COLLECTION, id).map(doc -> {
      if (doc == null) {
        throw Codex32Exception.notFound("bot '" + id + "' not found");
      }
      return toBot(doc);
    });
  }

  /** {@code {"items":[...], "total":N, "offset":N, "limit":N}} ordered by id. */
  public Future<JsonObject> list(BotQuery query) {
    return store.list(COLLECTION).compose(docs -> {
      List<Bot> matching = docs.stream().map(BotService::toBot).filter(query::matches)
          .sorted(Comparator.comparing(Bot::id)).toList();
      List<Bot> page = matching.stream().skip(query.offset()).limit(query.limit()).toList();
      return live.views(page.stream().map(Bot::id).toList()).map(views -> {
        JsonArray items = new JsonArray();
        page.forEach(bot -> items.add(bot.toApiJson(views.get(bot.id()))));
        return new JsonObject().put("items", items).put("total", matching.size())
            .put("offset", query.offset()).put("limit", query.limit());
      });
    });
  }

  /**
   * Applies a JSON merge patch to the spec; {@code placement} is replaced as a whole (node and
   * labels are alternatives) and a new one forgets the assigned node (a bot waiting for a node is
   * placed right away). {@code expectedRevision} (from
   * If-Match, or -1) guards against overwriting a change made meanwhile.
   */
  public Future<Bot> patch(String id, JsonObject patch, long expectedRevision) {
    return get(id).compose(bot -> {
      if (expectedRevision >= 0 && expectedRevision != bot.revision()) {
        return Future.failedFuture(Codex32Exception.conflict("revision_conflict",
            "bot '" + id + "' is at revision " + bot.revision() + ", not " + expectedRevision));
      }
      JsonObject merged = mergePatch(bot.spec().toJson(), patch);
      if (patch.getValue("placement") instanceof JsonObject placement) {
        merged.put("placement", placement.copy());
      }
      BotSpec spec = BotSpec.fromJson(merged.put("id", id));
      if (bot.status().mayHaveProcess() && !spec.placement().equals(bot.spec().placement())) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "stop bot '" + id + "' before moving it"));
      }
      return save(bot.withSpec(spec, clock.instant())).compose(saved -> movedWhileWaiting(bot, saved));
    });
  }

  /** A bot that waits for a node and got a new placement is placed (and started) at once, not at the next drift pass. */
  private Future<Bot> movedWhileWaiting(Bot before, Bot saved) {
    if (!waitsForNode(saved) || saved.spec().placement().equals(before.spec().placement())) {
      return Future.succeededFuture(saved);
    }
    return placeIfWaiting(saved.id())
        .onFailure(failure -> LOG.warn("bot {} could not be placed: {}", saved.id(), failure.getMessage()))
        .transform(placed -> get(saved.id()));
  }

  /** {@code listener} gets the id of every bot deleted from now on, once the deletion is stored. */
  public void onDeleted(Consumer<String> listener) {
    deletionListeners.add(listener);
  }

  public Future<Void> delete(String id, boolean force) {
    return get(id).compose(bot -> {
      boolean mayRun = bot.status().mayHaveProcess() || bot.desiredState() == DesiredState.RUNNING;
      if (mayRun && !force) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "bot '" + id + "' is " + bot.status().wireName()
            + " with desired state " + bot.desiredState().wireName() + "; stop it first or delete with ?force=true"));
      }
      Future<Boolean> removed = mayRun ? tell(bot, Action.REMOVE) : Future.succeededFuture(false);
      return removed.compose(delivered -> store.delete(COLLECTION, id)).onSuccess(deleted -> {
        live.forget(id);
        deletionListeners.forEach(listener -> listener.accept(id));
      }).mapEmpty();
    });
  }

  public Future<Bot> start(String id) {
    return changeDesired(id, DesiredState.RUNNING, Action.START);
  }

  public Future<Bot> stop(String id) {
    return changeDesired(id, DesiredState.STOPPED, Action.STOP);
  }

  public Future<Bot> restart(String id) {
    return changeDesired(id, DesiredState.RUNNING, Action.RESTART);
  }

  /** The newest lines the bot wrote, from its node's executor. */
  public Future<JsonObject> logs(String id, int tail, String since) {
    return get(id).compose(bot -> executors.query(nodeOf(bot), new JsonObject().put("action", "logs").put("bot_id", id)
        .put("tail", tail).put("since", since)));
  }

  /** The bot's recent CPU and memory samples, oldest first, from the live state. */
  public Future<JsonObject> metrics(String id, int limit) {
    return get(id).compose(bot -> live.metrics(id, limit)).map(items -> new JsonObject().put("items", items));
  }

  /** Remembers a heartbeat the bot sent, so that every gateway instance shows it. */
  public void recordHeartbeat(String id, JsonObject heartbeat) {
    live.recordHeartbeat(id, heartbeat);
  }

  /**
   * Takes a {@code status} event from the executor of its {@code node} (none: decided by a gateway)
   * into the live state and the store, unless a newer one is known already (events may arrive out of
   * order); the store write is retried when a concurrent write to the bot intervenes. A report from
   * a node the bot is not on is dropped, and that node is told to let the bot go (a stale entry from
   * before the bot moved, or a second copy of it).
   */
  public Future<Void> applyStatus(JsonObject event) {
    String node = event.getString("node");
    BotStatus status = BotStatus.parse(event.getString("status"));
    return store.get(COLLECTION, event.getString("bot_id")).compose(doc -> {
      if (doc == null) {
        return Future.succeededFuture();
      }
      Bot bot = toBot(doc);
      if (node != null && !node.equals(bot.node())) {
        return status == BotStatus.STOPPING ? Future.succeededFuture() : release(bot, node);
      }
      if (!live.applyStatus(event)) {
        return Future.succeededFuture();
      }
      return storeStatus(bot, status, event.getLong("version"), event.getString("reason"), STATUS_WRITE_ATTEMPTS);
    });
  }

  private Future<Void> storeStatus(Bot bot, BotStatus status, long version, String reason, int attempts) {
    if (bot.statusVersion() >= version) {
      return Future.succeededFuture();
    }
    return save(bot.withStatus(status, version, reason, clock.instant())).<Void>mapEmpty()
        .recover(failure -> attempts > 1 && isRevisionConflict(failure)
            ? store.get(COLLECTION, bot.id()).compose(doc -> doc == null ? Future.succeededFuture()
                : storeStatus(toBot(doc), status, version, reason, attempts - 1))
            : Future.failedFuture(failure));
  }

  /**
   * Tells {@code node}'s executor to stop and forget the bot, without waiting: the bot's other
   * status writes must not queue behind a node that does not answer. One that is not reached is told
   * again at its next report.
   */
  private Future<Void> release(Bot bot, String node) {
    LOG.info("node {} reports bot {}, which is placed on {}: telling it to let the bot go", node, bot.id(), bot.node());
    executors.send(node, new ExecutorCommand(Action.REMOVE, bot.spec()))
        .onFailure(failure -> LOG.warn("node {} could not be told to let bot {} go: {}", node, bot.id(), failure.getMessage()));
    return Future.succeededFuture();
  }

  /**
   * The status events that mark the bots of a lost node {@code unknown}: every bot placed there
   * that may have a process (its last report may no longer be true). Each event's version is just
   * above the last stored one, so the node's own next report (versions grow with its clock)
   * supersedes it.
   */
  public Future<List<JsonObject>> lostNodeEvents(String nodeId, String reason) {
    return store.list(COLLECTION).map(docs -> docs.stream().map(BotService::toBot)
        .filter(bot -> nodeId.equals(bot.node()))
        .filter(bot -> bot.status().mayHaveProcess() && bot.status() != BotStatus.UNKNOWN)
        .map(bot -> statusEvent(bot.withStatus(BotStatus.UNKNOWN, bot.statusVersion() + 1, reason, clock.instant())))
        .toList());
  }

  /** The nodes bots are on (named or assigned), each once. */
  public Future<Set<String>> nodesInUse() {
    return store.list(COLLECTION).map(docs -> docs.stream().map(BotService::toBot).map(Bot::node).filter(Objects::nonNull)
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  /**
   * Re-sends every bot's desired state to the node's executor, e.g. when the executor (re)starts.
   * A bot the executor refuses (say, its command is no longer allowed) is reported by its status
   * and does not keep the others from starting.
   */
  public Future<Void> reconcile(String nodeId) {
    return store.list(COLLECTION).compose(docs -> Future.join(docs.stream().map(BotService::toBot)
        .filter(bot -> nodeId.equals(bot.node()))
        .map(bot -> tell(bot, bot.desiredState() == DesiredState.RUNNING ? Action.START : Action.STOP)
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
    return store.list(COLLECTION).compose(docs -> Future.join(docs.stream().map(BotService::toBot)
        .filter(bot -> nodeId.equals(bot.node()))
        .map(bot -> {
          Action correction = drift(bot);
          return correction == null ? Future.succeededFuture(false) : tell(bot, correction).recover(failure -> {
            LOG.warn("drift of bot {} not corrected: {}", bot.id(), failure.getMessage());
            return Future.succeededFuture(false);
          });
        })
        .toList())).mapEmpty();
  }

  private static Action drift(Bot bot) {
    boolean wantRunning = bot.desiredState() == DesiredState.RUNNING;
    return switch (bot.status()) {
      case REGISTERED, STOPPED, UNKNOWN -> wantRunning ? Action.START : null;
      case RUNNING, STARTING, RESTARTING -> wantRunning ? null : Action.STOP;
      default -> null;
    };
  }

  /**
   * Places and starts, one after another (each sees where the previous went), the bots that wait
   * for a node: placed by labels, desired state running, no node assigned, not {@code failed}.
   * Run by the leading gateway when a node comes online and on every drift pass.
   */
  public Future<Void> placeWaiting() {
    return store.list(COLLECTION).compose(docs -> {
      Future<Void> chain = Future.succeededFuture();
      for (String id : docs.stream().map(BotService::toBot).filter(BotService::waitsForNode).map(Bot::id).toList()) {
        chain = chain.compose(v -> placeIfWaiting(id).recover(failure -> {
          LOG.warn("bot {} could not be placed: {}", id, failure.getMessage());
          return Future.succeededFuture();
        }));
      }
      return chain;
    });
  }

  private static boolean waitsForNode(Bot bot) {
    return bot.spec().placement().bySelector() && bot.node() == null && bot.desiredState() == DesiredState.RUNNING
        && bot.status() != BotStatus.FAILED;
  }

  private Future<Void> placeIfWaiting(String id) {
    return update(id, bot -> waitsForNode(bot) ? placed(bot) : Future.succeededFuture(bot), STATUS_WRITE_ATTEMPTS)
        .compose(change -> change.none() ? Future.succeededFuture() : apply(change, Action.START).mapEmpty());
  }

  private static String nodeOf(Bot bot) {
    String node = bot.node();
    if (node == null) {
      String why = bot.reason() != null && bot.reason().startsWith(UNSCHEDULABLE) ? ": " + bot.reason() : "";
      throw Codex32Exception.conflict(UNSCHEDULABLE, "bot '" + bot.id() + "' has no node yet" + why);
    }
    return node;
  }

  private Future<Bot> changeDesired(String id, DesiredState desired, Action action) {
    return update(id, bot -> withDesired(bot, desired, action), STATUS_WRITE_ATTEMPTS).compose(change -> apply(change, action));
  }

  /**
   * The bot with its new desired state; a start also places a bot by labels that needs a node, and a
   * stop of a bot no node could take clears that reason.
   */
  private Future<Bot> withDesired(Bot bot, DesiredState desired, Action action) {
    Bot next = bot.withDesiredState(desired, clock.instant());
    boolean launches = action == Action.START || action == Action.RESTART;
    if (launches && scheduler.needsNode(bot)) {
      return placed(next);
    }
    if (!launches && next.node() == null && isUnschedulable(next)) {
      return Future.succeededFuture(next.withStatus(BotStatus.REGISTERED, next.statusVersion() + 1, null, clock.instant()));
    }
    return Future.succeededFuture(next);
  }

  /** The bot on the node the scheduler chooses; without one, unassigned and {@code registered} with the reason. */
  private Future<Bot> placed(Bot bot) {
    return store.list(COLLECTION).map(docs -> {
      List<Bot> all = docs.stream().map(BotService::toBot).toList();
      return scheduler.choose(bot, all).map(node -> bot.withAssignedNode(node, clock.instant()))
          .orElseGet(() -> unschedulable(bot.withAssignedNode(null, clock.instant())));
    });
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

  /**
   * Reads the bot, changes it and stores the change unless {@code change} returned it as it was.
   * Status events from the executor may land between read and write: re-read and try again.
   */
  private Future<Change> update(String id, Function<Bot, Future<Bot>> change, int attempts) {
    return get(id)
        .compose(bot -> change.apply(bot).compose(next -> next == bot ? Future.succeededFuture(new Change(bot, bot))
            : save(next).map(saved -> new Change(bot, saved))))
        .recover(failure -> attempts > 1 && isRevisionConflict(failure)
            ? update(id, change, attempts - 1) : Future.failedFuture(failure));
  }

  /**
   * After a stored change: publishes a status the gateway decided, lets the node the bot left
   * forget it, and sends {@code action} to the bot's node.
   */
  private Future<Bot> apply(Change change, Action action) {
    Bot bot = change.after();
    if (bot.statusVersion() > change.before().statusVersion()) {
      events.publish(Addresses.BOT_EVENTS, statusEvent(bot));
    }
    String left = change.before().node();
    if (left != null && !left.equals(bot.node())) {
      LOG.info("bot {} moves from node {} to {}", bot.id(), left, bot.node());
      executors.send(left, new ExecutorCommand(Action.REMOVE, bot.spec()))
          .onFailure(failure -> LOG.info("node {} was not told to forget bot {}: {}", left, bot.id(), failure.getMessage()));
    }
    return tell(bot, action).map(bot);
  }

  /** A {@code status} event as an executor publishes it, for a status the gateway decided. */
  private JsonObject statusEvent(Bot bot) {
    return new JsonObject().put("type", "status").put("bot_id", bot.id()).put("node", bot.node())
        .put("status", bot.status().wireName()).put("version", bot.statusVersion()).put("reason", bot.reason())
        .put("time", clock.instant().toString());
  }

  private static boolean isRevisionConflict(Throwable failure) {
    return failure instanceof Codex32Exception e && "revision_conflict".equals(e.code());
  }

  /**
   * Sends the command to the bot's node; a node without an executor picks the desired state up
   * later, a bot without a node when it gets one.
   */
  private Future<Boolean> tell(Bot bot, Action action) {
    String node = bot.node();
    if (node == null) {
      return Future.succeededFuture(false);
    }
    return executors.send(node, new ExecutorCommand(action, bot.spec()));
  }

  private Future<Bot> save(Bot bot) {
    return store.update(COLLECTION, bot.id(), bot.toStoredJson(), bot.revision()).map(BotService::toBot);
  }

  private static Bot toBot(Document doc) {
    return Bot.fromStoredJson(doc.body(), doc.revision());
  }

  private static Throwable renameConflict(Throwable failure, String id) {
    if (failure instanceof Codex32Exception e && e.status() == 409) {
      return Codex32Exception.conflict("bot_exists", "a bot with id '" + id + "' already exists");
    }
    return failure;
  }

  /** RFC 7396 JSON merge patch. */
  static JsonObject mergePatch(JsonObject target, JsonObject patch) {
    JsonObject result = target.copy();
    for (Map.Entry<String, Object> entry : patch) {
      Object value = entry.getValue();
      if (value == null) {
        result.remove(entry.getKey());
      } else if (value instanceof JsonObject patchObject && result.getValue(entry.getKey()) instanceof JsonObject current) {
        result.put(entry.getKey(), mergePatch(current, patchObject));
      } else {
        result.put(entry.getKey(), value);
      }
    }
    return result;
  }
}
