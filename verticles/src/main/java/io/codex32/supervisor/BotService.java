package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.error.Codex32Exception;
import io.codex32.executor.ExecutorClient;
import io.codex32.executor.ExecutorCommand;
import io.codex32.executor.ExecutorCommand.Action;
import io.codex32.live.BotLiveState;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of bot management: specs and desired state live in the store; commands go to
 * the executor of the bot's node. The executor reports actual status back on the event bus.
 */
public final class BotService {

  public static final String COLLECTION = "bots";

  private static final Logger LOG = LoggerFactory.getLogger(BotService.class);
  private static final int STATUS_WRITE_ATTEMPTS = 3;

  private final DocumentStore store;
  private final ExecutorClient executors;
  private final BotLiveState live;
  private final Clock clock;
  private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

  public BotService(DocumentStore store, ExecutorClient executors, BotLiveState live, Clock clock) {
    this.store = store;
    this.executors = executors;
    this.live = live;
    this.clock = clock;
  }

  /** The API view of a bot: stored spec and status plus the live process fields. */
  public Future<JsonObject> view(Bot bot) {
    return live.view(bot.id()).map(bot::toApiJson);
  }

  public Future<Bot> create(JsonObject specJson) {
    BotSpec spec = BotSpec.fromJson(specJson);
    var now = clock.instant();
    Bot bot = new Bot(spec, DesiredState.STOPPED, BotStatus.REGISTERED, 1, null, now, now, 0);
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
   * Applies a JSON merge patch to the spec. {@code expectedRevision} (from If-Match, or -1) guards
   * against overwriting a change made meanwhile.
   */
  public Future<Bot> patch(String id, JsonObject patch, long expectedRevision) {
    return get(id).compose(bot -> {
      if (expectedRevision >= 0 && expectedRevision != bot.revision()) {
        return Future.failedFuture(Codex32Exception.conflict("revision_conflict",
            "bot '" + id + "' is at revision " + bot.revision() + ", not " + expectedRevision));
      }
      JsonObject merged = mergePatch(bot.spec().toJson(), patch);
      BotSpec spec = BotSpec.fromJson(merged.put("id", id));
      if (bot.status().mayHaveProcess() && !spec.placement().equals(bot.spec().placement())) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "stop bot '" + id + "' before moving it"));
      }
      return save(bot.withSpec(spec, clock.instant()));
    });
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
   * Stores a status reported by an executor unless a newer one is stored already (events may
   * arrive out of order); retried when a concurrent write to the bot intervenes.
   */
  public Future<Void> applyStatus(String id, BotStatus status, long version, String reason) {
    return applyStatus(id, status, version, reason, STATUS_WRITE_ATTEMPTS);
  }

  private Future<Void> applyStatus(String id, BotStatus status, long version, String reason, int attempts) {
    return store.get(COLLECTION, id).compose(doc -> {
      if (doc == null) {
        return Future.succeededFuture();
      }
      Bot bot = toBot(doc);
      if (bot.statusVersion() >= version) {
        return Future.succeededFuture();
      }
      return save(bot.withStatus(status, version, reason, clock.instant())).<Void>mapEmpty()
          .recover(failure -> attempts > 1 && isRevisionConflict(failure)
              ? applyStatus(id, status, version, reason, attempts - 1) : Future.failedFuture(failure));
    });
  }

  /**
   * The status events that mark the bots of a lost node {@code unknown}: every bot placed there
   * that may have a process (its last report may no longer be true). Each event's version is just
   * above the last stored one, so the node's own next report (versions grow with its clock)
   * supersedes it.
   */
  public Future<List<JsonObject>> lostNodeEvents(String nodeId, String reason) {
    return store.list(COLLECTION).map(docs -> docs.stream().map(BotService::toBot)
        .filter(bot -> nodeId.equals(bot.spec().placement().node()))
        .filter(bot -> bot.status().mayHaveProcess() && bot.status() != BotStatus.UNKNOWN)
        .map(bot -> new JsonObject().put("type", "status").put("bot_id", bot.id()).put("node", nodeId)
            .put("status", BotStatus.UNKNOWN.wireName()).put("version", bot.statusVersion() + 1).put("reason", reason)
            .put("time", clock.instant().toString()))
        .toList());
  }

  /**
   * Re-sends every bot's desired state to the node's executor, e.g. when the executor (re)starts.
   * A bot the executor refuses (say, its command is no longer allowed) is reported by its status
   * and does not keep the others from starting.
   */
  public Future<Void> reconcile(String nodeId) {
    return store.list(COLLECTION).compose(docs -> Future.join(docs.stream().map(BotService::toBot)
        .filter(bot -> nodeId.equals(bot.spec().placement().node()))
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
        .filter(bot -> nodeId.equals(bot.spec().placement().node()))
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

  private static String nodeOf(Bot bot) {
    String node = bot.spec().placement().node();
    if (node == null) {
      throw Codex32Exception.conflict("unschedulable", "bot '" + bot.id() + "' is not placed on a node");
    }
    return node;
  }

  private Future<Bot> changeDesired(String id, DesiredState desired, Action action) {
    return saveDesired(id, desired, STATUS_WRITE_ATTEMPTS).compose(saved -> tell(saved, action).map(saved));
  }

  /** Status events from the executor may land between read and write: re-read and try again. */
  private Future<Bot> saveDesired(String id, DesiredState desired, int attempts) {
    return get(id)
        .compose(bot -> save(bot.withDesiredState(desired, clock.instant())))
        .recover(failure -> attempts > 1 && isRevisionConflict(failure)
            ? saveDesired(id, desired, attempts - 1) : Future.failedFuture(failure));
  }

  private static boolean isRevisionConflict(Throwable failure) {
    return failure instanceof Codex32Exception e && "revision_conflict".equals(e.code());
  }

  /** Sends the command to the bot's node; a node without an executor picks the desired state up later. */
  private Future<Boolean> tell(Bot bot, Action action) {
    String node = bot.spec().placement().node();
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
