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
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The gateway's side of bot management: specs and desired state live in the store; commands go to
 * the executor of the bot's node. The executor reports actual status back on the event bus.
 */
public final class BotService {

  public static final String COLLECTION = "bots";

  private final DocumentStore store;
  private final ExecutorClient executors;
  private final Clock clock;

  public BotService(DocumentStore store, ExecutorClient executors, Clock clock) {
    this.store = store;
    this.executors = executors;
    this.clock = clock;
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
    return store.list(COLLECTION).map(docs -> {
      List<Bot> matching = docs.stream().map(BotService::toBot).filter(query::matches)
          .sorted(Comparator.comparing(Bot::id)).toList();
      JsonArray items = new JsonArray();
      matching.stream().skip(query.offset()).limit(query.limit()).forEach(bot -> items.add(bot.toApiJson()));
      return new JsonObject().put("items", items).put("total", matching.size())
          .put("offset", query.offset()).put("limit", query.limit());
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

  public Future<Void> delete(String id, boolean force) {
    return get(id).compose(bot -> {
      boolean mayRun = bot.status().mayHaveProcess() || bot.desiredState() == DesiredState.RUNNING;
      if (mayRun && !force) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "bot '" + id + "' is " + bot.status().wireName()
            + " with desired state " + bot.desiredState().wireName() + "; stop it first or delete with ?force=true"));
      }
      Future<Boolean> removed = mayRun ? tell(bot, Action.REMOVE) : Future.succeededFuture(false);
      return removed.compose(delivered -> store.delete(COLLECTION, id)).mapEmpty();
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

  private Future<Bot> changeDesired(String id, DesiredState desired, Action action) {
    return get(id)
        .compose(bot -> save(bot.withDesiredState(desired, clock.instant())))
        .compose(saved -> tell(saved, action).map(saved));
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
