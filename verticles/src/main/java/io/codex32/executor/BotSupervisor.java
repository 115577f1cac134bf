package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bus.BotHeartbeat;
import io.codex32.bus.ExecutorReply;
import io.codex32.executor.lifecycle.BotLifecycle;
import io.codex32.executor.lifecycle.Decision;
import io.codex32.executor.lifecycle.LifecycleEvent;
import io.codex32.executor.lifecycle.LifecyclePolicy;
import io.codex32.executor.logs.BotLogs;
import io.codex32.executor.process.ExitStatus;
import io.codex32.executor.process.ProcessLauncher;
import io.codex32.executor.process.RunningProcess;
import io.codex32.executor.saved.SavedBots;
import io.codex32.executor.saved.Survivors;
import io.codex32.executor.settings.ExecutorSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what {@link LifecyclePolicy} decides for the bots of one node: launches processes,
 * stops process trees, arms the backoff and run-time timers, and feeds every outcome (launch, exit,
 * stop, timer) back to the policy as an event. Lives on the executor verticle's event loop;
 * blocking work runs on worker threads.
 */
final class BotSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(BotSupervisor.class);

  private final Vertx vertx;
  private final Context context;
  private final ProcessLauncher launcher;
  private final BotLogs logs;
  private final SavedBots saved;
  private final Function<String, Future<String>> botTokens;
  private final Clock clock;
  private final LifecyclePolicy policy = new LifecyclePolicy(Math::random);
  private final StatusEvents events;
  private final Map<String, BotLifecycle> bots = new HashMap<>();
  private final Map<String, String> deliveredTokens = new HashMap<>();

  BotSupervisor(Vertx vertx, Context context, ExecutorSettings settings, ProcessLauncher launcher, BotLogs logs,
      Function<String, Future<String>> botTokens, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.launcher = launcher;
    this.logs = logs;
    this.saved = new SavedBots(settings.paths());
    this.botTokens = botTokens;
    this.clock = clock;
    this.events = new StatusEvents(vertx.eventBus(), settings.nodeId(), launcher.cgroups(), logs);
  }

  // ---- operator requests ----------------------------------------------------------------------

  /** Start, or restart; the reply waits for a launch (and fails with it), not for a stop. */
  Future<ExecutorReply> run(BotSpec spec, String botToken, LifecycleEvent request) {
    if (botToken != null) {
      deliveredTokens.put(spec.id(), botToken);
    }
    BotLifecycle bot = bots.computeIfAbsent(spec.id(), id -> newBot(spec));
    bot.use(spec);
    bot.operatorStart();
    Decision decision = decide(bot, request);
    Future<Void> done = carryOut(bot, decision);
    return (decision instanceof Decision.Launch ? done : Future.<Void>succeededFuture()).map(v -> accepted(bot));
  }

  /** Replies as soon as the stop has begun. */
  Future<ExecutorReply> stop(String botId) {
    BotLifecycle bot = bots.get(botId);
    if (bot == null) {
      return Future.succeededFuture(ExecutorReply.Accepted.unknownBot());
    }
    bot.operatorStop();
    carryOut(bot, decide(bot, new LifecycleEvent.OperatorStop()));
    vertx.executeBlocking(() -> {
      saved.stopped(botId);
      return null;
    }).onFailure(failure -> LOG.warn("bot {}: could not note it was stopped: {}", botId, failure.getMessage()));
    return Future.succeededFuture(accepted(bot));
  }

  /** Replies at once; the bot is forgotten once its process tree is gone. */
  Future<ExecutorReply> remove(String botId) {
    BotLifecycle bot = bots.get(botId);
    Future<Void> stopped = Future.succeededFuture();
    if (bot != null) {
      bot.operatorStop();
      stopped = carryOut(bot, decide(bot, new LifecycleEvent.OperatorRemove()));
    }
    stopped.onComplete(done -> forget(botId, bot));
    return Future.succeededFuture(new ExecutorReply.Accepted(null, true));
  }

  private void forget(String botId, BotLifecycle bot) {
    if (bots.get(botId) == bot) {
      bots.remove(botId);
    }
    logs.unfollow(botId);
    logs.discard(botId);
    deliveredTokens.remove(botId);
    vertx.executeBlocking(() -> {
      saved.forget(botId);
      launcher.cgroups().release(botId);
      return null;
    });
  }

  /** Every bot publishes its status again (after the node was out of reach). */
  ExecutorReply report() {
    List<BotLifecycle> all = List.copyOf(bots.values());
    all.forEach(BotLifecycle::reannounce);
    return new ExecutorReply.BotCount(all.size());
  }

  private static ExecutorReply accepted(BotLifecycle bot) {
    return new ExecutorReply.Accepted(bot.status(), true);
  }

  int count() {
    return bots.size();
  }

  // ---- what the bots report and the executor observes -----------------------------------------

  /** Heartbeats reach every executor; only the one supervising the bot (while it starts or runs) keeps them. */
  void heartbeat(BotHeartbeat heartbeat) {
    BotLifecycle bot = bots.get(heartbeat.botId());
    if (bot != null && (bot.status() == BotStatus.RUNNING || bot.status() == BotStatus.STARTING)) {
      bot.heartbeat(clock.instant(), heartbeat.status(), heartbeat.metrics());
    }
  }

  /** Stops the bots that stopped sending heartbeats. */
  void watchHeartbeats() {
    Instant now = clock.instant();
    for (BotLifecycle bot : List.copyOf(bots.values())) {
      if (bot.heartbeatOverdue(now)) {
        long timeout = bot.spec().heartbeatTimeoutSeconds();
        LOG.warn("bot {} sent no heartbeat for {} s: stopping it", bot.id(), timeout);
        carryOut(bot, decide(bot, new LifecycleEvent.HeartbeatMissed(timeout)));
      }
    }
  }

  /** The bots with a running process, for sampling. */
  List<BotLifecycle> running() {
    return bots.values().stream().filter(b -> b.status() == BotStatus.RUNNING && b.process() != null).toList();
  }

  void quotaBreached(BotLifecycle bot, String usage) {
    carryOut(bot, decide(bot, new LifecycleEvent.QuotaBreached(usage)));
  }

  // ---- carrying out decisions -----------------------------------------------------------------

  private BotLifecycle newBot(BotSpec spec) {
    return new BotLifecycle(spec, clock, events);
  }

  private Decision decide(BotLifecycle bot, LifecycleEvent event) {
    return policy.decide(bot.situation(), event);
  }

  /** Completes once the decision is carried out: a launch once the process runs, a halt once the tree is gone. */
  private Future<Void> carryOut(BotLifecycle bot, Decision decision) {
    if (decision instanceof Decision.Launch launch) {
      cancelBackoff(bot);
      if (launch.freshBudget()) {
        bot.freshBudget();
      }
      return launch(bot, launch.why());
    } else if (decision instanceof Decision.Halt halt) {
      bot.stopCause(halt.cause());
      return halt(bot, halt.why());
    } else if (decision instanceof Decision.Settle settle) {
      cancelBackoff(bot);
      bot.moveTo(settle.status(), settle.why());
    } else if (decision instanceof Decision.RestartLater later) {
      restartLater(bot, later);
    }
    return Future.succeededFuture();
  }

  private void cancelBackoff(BotLifecycle bot) {
    if (bot.status() == BotStatus.RESTARTING) {
      vertx.cancelTimer(bot.timer());
    }
  }

  private void restartLater(BotLifecycle bot, Decision.RestartLater later) {
    bot.restartScheduled(later.budget(), later.attempt());
    bot.moveTo(BotStatus.RESTARTING, later.why());
    bot.timer(vertx.setTimer(Math.max(1, later.delayMs()), id -> {
      if (bots.get(bot.id()) == bot) {
        carryOut(bot, decide(bot, new LifecycleEvent.BackoffElapsed()));
      }
    }));
  }

  /** STARTING → RUNNING, or FAILED with the launcher's reason (the launch's failure is also the request's). */
  private Future<Void> launch(BotLifecycle bot, String why) {
    bot.moveTo(BotStatus.STARTING, why);
    BotSpec spec = bot.spec();
    logs.follow(spec.id(), true);
    String delivered = deliveredTokens.get(spec.id());
    // the spec is on disk before the process exists (adoption needs it); saved state is written in order
    return (delivered != null ? Future.succeededFuture(delivered) : botTokens.apply(spec.id()))
        .compose(token -> vertx.executeBlocking(() -> {
          saved.save(spec, delivered);
          return token;
        }))
        .compose(token -> vertx.executeBlocking(() -> launcher.launch(spec, token), false))
        .map(process -> {
          running(bot, process, why);
          return (Void) null;
        })
        .recover(failure -> {
          carryOut(bot, decide(bot, LifecycleEvent.LaunchFailed.of(failure)));
          return Future.failedFuture(failure);
        });
  }

  private void running(BotLifecycle bot, RunningProcess process, String why) {
    long generation = bot.launched(process);
    bot.moveTo(BotStatus.RUNNING, why);
    Future.fromCompletionStage(process.onExit(), context).onSuccess(exit -> exited(bot, generation, exit));
    long maxRuntime = bot.spec().maxRuntimeSeconds();
    if (maxRuntime > 0) {
      vertx.setTimer(maxRuntime * 1000, id -> carryOut(bot, decide(bot, new LifecycleEvent.RanTooLong(generation, maxRuntime))));
    }
    carryOut(bot, decide(bot, new LifecycleEvent.Launched()));
  }

  private void exited(BotLifecycle bot, long generation, ExitStatus exit) {
    if (generation != bot.generation() || bots.get(bot.id()) != bot) {
      return;
    }
    if (bot.status() == BotStatus.STOPPING) {
      // an exit the executor asked for: halt() stopped the whole tree and has the policy decide what follows
      vertx.executeBlocking(() -> forgetProcess(bot.id(), false));
      bot.exited(exit);
      return;
    }
    // what the run left behind dies before anything is decided (and before any restart is launched);
    // then read what it wrote last, so a failure report carries its last lines
    vertx.executeBlocking(() -> forgetProcess(bot.id(), true), false)
        .compose(v -> logs.stopFollowing(bot.id()))
        .onComplete(read -> {
          Decision decision = decide(bot, new LifecycleEvent.Exited(generation, exit));
          if (decision != Decision.NONE) {
            bot.exited(exit);
          }
          carryOut(bot, decision);
        });
  }

  /** Drops the process record; with {@code leftovers}, also kills what is left in the bot's cgroup. */
  private Void forgetProcess(String botId, boolean leftovers) {
    launcher.forget(botId);
    if (leftovers) {
      launcher.cgroups().killLeftovers(botId);
    }
    return null;
  }

  /** RUNNING → STOPPING: SIGTERM, grace, SIGKILL to the whole tree; then the policy decides what follows. */
  private Future<Void> halt(BotLifecycle bot, String why) {
    RunningProcess process = bot.process();
    bot.moveTo(BotStatus.STOPPING, why);
    long graceMs = bot.spec().stopTimeoutMs();
    return vertx.executeBlocking(() -> launcher.stop(bot.id(), process.pid(), Duration.ofMillis(graceMs)), false)
        .compose(killed -> Future.fromCompletionStage(process.onExit(), context)
            .compose(exit -> logs.stopFollowing(bot.id()).map(exit))
            .map(exit -> {
              bot.exited(exit);
              carryOut(bot, decide(bot, new LifecycleEvent.Halted(killed, graceMs)));
              return (Void) null;
            }))
        .recover(failure -> {
          LOG.error("could not stop bot {}", bot.id(), failure);
          carryOut(bot, decide(bot, new LifecycleEvent.HaltFailed(failure.getMessage())));
          return Future.failedFuture(failure);
        });
  }

  // ---- bots an earlier executor left ----------------------------------------------------------

  /**
   * Bots left running by an earlier executor are adopted (same pid and start time), or stopped when
   * adoption is off; either way never started twice.
   */
  Future<Void> takeOver(boolean adoptRunning) {
    Survivors survivors = new Survivors(saved, launcher);
    if (!adoptRunning) {
      return vertx.executeBlocking(survivors::stopAll, false).map(stopped -> {
        stopped.forEach(this::stoppedAtStart);
        return null;
      });
    }
    return vertx.executeBlocking(survivors::find, false).map(found -> {
      found.forEach(this::takeOver);
      return null;
    });
  }

  private void stoppedAtStart(BotSpec spec) {
    BotLifecycle bot = newBot(spec);
    bots.put(spec.id(), bot);
    bot.moveTo(BotStatus.STOPPED, "stopped at executor start (executor.adopt_running is false)");
  }

  private void takeOver(Survivors.Survivor survivor) {
    SavedBots.SavedBot found = survivor.saved();
    if (found.token() != null) {
      deliveredTokens.put(found.spec().id(), found.token());
    }
    if (survivor.process() != null) {
      adopt(found.spec(), survivor.process());
    } else if (found.wantRunning()) {
      resume(found.spec());
    }
  }

  private void adopt(BotSpec spec, RunningProcess process) {
    BotLifecycle bot = newBot(spec);
    bots.put(spec.id(), bot);
    bot.operatorStart();
    bot.moveTo(BotStatus.STARTING, "adopting process " + process.pid());
    logs.follow(spec.id(), true);
    running(bot, process, "adopted after executor restart");
    LOG.info("adopted bot {} (pid {})", spec.id(), process.pid());
  }

  /**
   * A bot that should run but whose process is gone (the node rebooted, or was down when it
   * crashed) starts again at once: the node does not wait for a gateway to say so.
   */
  private void resume(BotSpec spec) {
    BotLifecycle bot = newBot(spec);
    bots.put(spec.id(), bot);
    bot.operatorStart();
    LOG.info("starting bot {} again: it should run and its process is gone", spec.id());
    launch(bot, "started again at executor start: it should run and its process was gone")
        .onFailure(failure -> LOG.warn("bot {} could not be started again: {}", spec.id(), failure.getMessage()));
  }
}
