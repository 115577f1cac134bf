package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.BotPatch;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.error.Codex32Exception;
import io.codex32.live.BotLiveState;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stored bots: specs, desired state, assigned node and last status in the store's {@code bots}
 * collection, each write checked against the revision it read (a change made meanwhile is a
 * {@code revision_conflict}).
 */
public final class BotRegistry {

  public static final String COLLECTION = "bots";
  /** How often a change is tried again when a concurrent write (say, a status report) intervened. */
  static final int WRITE_ATTEMPTS = 3;

  private final DocumentStore store;
  private final NodeCommands commands;
  private final BotLiveState live;
  private final Clock clock;
  private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

  /** {@code commands}: how a bot that may run is removed from its node before it is deleted. */
  BotRegistry(DocumentStore store, NodeCommands commands, BotLiveState live, Clock clock) {
    this.store = store;
    this.commands = commands;
    this.live = live;
    this.clock = clock;
  }

  public Future<Bot> create(BotSpec spec) {
    var now = clock.instant();
    Bot bot = new Bot(spec, DesiredState.STOPPED, BotStatus.REGISTERED, 1, null, null, now, now, 0);
    return store.insert(COLLECTION, spec.id(), bot.toStoredJson())
        .recover(failure -> Future.failedFuture(renameConflict(failure, spec.id())))
        .map(BotRegistry::toBot);
  }

  /** The bot; 404 {@code not_found} when there is none. */
  public Future<Bot> get(String id) {
    return find(id).map(bot -> {
      if (bot == null) {
        throw Codex32Exception.notFound("bot '" + id + "' not found");
      }
      return bot;
    });
  }

  /** The bot, or null when there is none. */
  Future<Bot> find(String id) {
    return store.get(COLLECTION, id).map(doc -> doc == null ? null : toBot(doc));
  }

  /** Every stored bot, in no particular order. */
  public Future<List<Bot>> all() {
    return store.list(COLLECTION).map(docs -> docs.stream().map(BotRegistry::toBot).toList());
  }

  /** The bots on {@code nodeId} (named or assigned). */
  Future<List<Bot>> onNode(String nodeId) {
    return all().map(bots -> bots.stream().filter(bot -> nodeId.equals(bot.node())).toList());
  }

  /** The nodes bots are on (named or assigned), each once. */
  public Future<Set<String>> nodesInUse() {
    return all().map(bots -> bots.stream().map(Bot::node).filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new)));
  }

  /**
   * Applies {@code patch} to the spec; a new placement forgets the assigned node. {@code expectedRevision}
   * (from If-Match, or -1) guards against overwriting a change made meanwhile; a bot that may still
   * run is not moved (no bot runs on two nodes).
   */
  Future<BotChange> patch(String id, BotPatch patch, long expectedRevision) {
    return get(id).compose(bot -> {
      if (expectedRevision >= 0 && expectedRevision != bot.revision()) {
        return Future.failedFuture(Codex32Exception.conflict("revision_conflict",
            "bot '" + id + "' is at revision " + bot.revision() + ", not " + expectedRevision));
      }
      BotSpec spec = patch.applyTo(bot.spec());
      if (bot.status().mayHaveProcess() && !spec.placement().equals(bot.spec().placement())) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "stop bot '" + id + "' before moving it"));
      }
      return save(bot.withSpec(spec, clock.instant())).map(saved -> new BotChange(bot, saved));
    });
  }

  /** {@code listener} gets the id of every bot deleted from now on, once the deletion is stored. */
  public void onDeleted(Consumer<String> listener) {
    deletionListeners.add(listener);
  }

  /**
   * Deletes the bot; one that may run (by status or desired state) only with {@code force}, after
   * its node was told to remove it.
   */
  Future<Void> delete(String id, boolean force) {
    return get(id).compose(bot -> {
      boolean mayRun = bot.status().mayHaveProcess() || bot.desiredState() == DesiredState.RUNNING;
      if (mayRun && !force) {
        return Future.failedFuture(Codex32Exception.conflict("bot_running", "bot '" + id + "' is " + bot.status().wireName()
            + " with desired state " + bot.desiredState().wireName() + "; stop it first or delete with ?force=true"));
      }
      Future<Boolean> removed = mayRun ? commands.tell(bot, NodeCommand.REMOVE) : Future.succeededFuture(false);
      return removed.compose(delivered -> store.delete(COLLECTION, id)).onSuccess(deleted -> {
        live.forget(id);
        deletionListeners.forEach(listener -> listener.accept(id));
      }).mapEmpty();
    });
  }

  /**
   * Reads the bot, changes it and stores the change unless {@code change} returned it as it was.
   * Status events from the executor may land between read and write: re-read and try again.
   */
  Future<BotChange> update(String id, Function<Bot, Future<Bot>> change) {
    return update(id, change, WRITE_ATTEMPTS);
  }

  private Future<BotChange> update(String id, Function<Bot, Future<Bot>> change, int attempts) {
    return get(id)
        .compose(bot -> change.apply(bot).compose(next -> next == bot ? Future.succeededFuture(BotChange.none(bot))
            : save(next).map(saved -> new BotChange(bot, saved))))
        .recover(failure -> attempts > 1 && isRevisionConflict(failure)
            ? update(id, change, attempts - 1) : Future.failedFuture(failure));
  }

  /** Stores {@code bot} if the stored one is still at its revision. */
  Future<Bot> save(Bot bot) {
    return store.update(COLLECTION, bot.id(), bot.toStoredJson(), bot.revision()).map(BotRegistry::toBot);
  }

  static boolean isRevisionConflict(Throwable failure) {
    return failure instanceof Codex32Exception e && "revision_conflict".equals(e.code());
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
}
