package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the processes of the bots placed on one node and makes their actual state follow the
 * desired state. Commands arrive on {@code codex32.node.<id>.executor}; every status change is
 * published on {@code codex32.bots.events}. All lifecycle state is touched only on this verticle's
 * event loop; process starts, stops, file writes and sampling run on worker threads.
 */
public final class ExecutorVerticle extends VerticleBase {

  /** Consecutive samples over a quota before the bot is stopped. */
  static final int QUOTA_SAMPLES = 3;
  static final String QUOTA_EXCEEDED = "quota_exceeded";
  static final String MAX_RUNTIME_EXCEEDED = "max_runtime_exceeded";
  static final String HEARTBEAT_TIMEOUT = "heartbeat_timeout";
  /** How often the heartbeat watchdog looks (a cheap scan of this node's bots on the event loop). */
  static final long WATCHDOG_INTERVAL_MS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorVerticle.class);
  private static final int FAILURE_LOG_LINES = 20;

  private final ExecutorSettings settings;
  private final ProcessLauncher launcher;
  private final BotLogs logs;
  private final ProcessSampler sampler;
  private final Function<String, Future<String>> botTokens;
  private final Clock clock;
  private final Map<String, BotLifecycle> bots = new HashMap<>();
  private final Map<String, String> deliveredTokens = new HashMap<>();
  private final SavedBots saved;
  private long sampleTimer = -1;
  private long watchdogTimer = -1;
  private boolean sampling;

  /**
   * Builds the executor's parts (OSHI and file work on a worker thread). {@code botTokens} issues
   * the token a bot gets as CODEX32_BOT_TOKEN (null when this node cannot sign tokens).
   */
  public static Future<ExecutorVerticle> create(Vertx vertx, ExecutorSettings settings, Function<String, Future<String>> botTokens,
      Clock clock) {
    return vertx.executeBlocking(() -> new ExecutorVerticle(settings,
        new ProcessLauncher(settings, settings.cgroups() ? BotCgroups.detect(settings.dataDir()) : BotCgroups.none()),
        new BotLogs(vertx, settings.paths(), LogLimits.DEFAULTS), new ProcessSampler(), botTokens, clock));
  }

  /** {@code botTokens} issues the token a bot gets as CODEX32_BOT_TOKEN (null when this node cannot sign). */
  public ExecutorVerticle(ExecutorSettings settings, ProcessLauncher launcher, BotLogs logs, ProcessSampler sampler,
      Function<String, Future<String>> botTokens, Clock clock) {
    this.settings = settings;
    this.launcher = launcher;
    this.logs = logs;
    this.sampler = sampler;
    this.botTokens = botTokens;
    this.clock = clock;
    this.saved = new SavedBots(settings.paths());
  }

  @Override
  public Future<?> start() {
    return adoptSurvivors()
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.executor(settings.nodeId()), this::onCommand).completion())
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.BOT_HEARTBEATS, this::onHeartbeat).completion())
        .onSuccess(v -> {
          sampleTimer = vertx.setPeriodic(settings.sampleIntervalMs(), id -> sample());
          watchdogTimer = vertx.setPeriodic(WATCHDOG_INTERVAL_MS, id -> watchHeartbeats());
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sampleTimer);
    vertx.cancelTimer(watchdogTimer);
    // Bots keep running when the executor stops: a restarted executor adopts them.
    logs.close();
    return vertx.executeBlocking(() -> {
      launcher.cgroups().releaseIdle();
      return null;
    });
  }

  // ---- commands -------------------------------------------------------------------------------

  private void onCommand(Message<JsonObject> message) {
    JsonObject body = message.body();
    Future<JsonObject> reply;
    try {
      reply = switch (body.getString("action", "")) {
        case "start" -> start(delivered(body));
        case "stop" -> stop(body.getString("bot_id"));
        case "restart" -> restart(delivered(body));
        case "remove" -> remove(body.getString("bot_id"));
        case "logs" -> logsOf(body);
        case "summary" -> Future.succeededFuture(new JsonObject().put("bots", bots.size()));
        case "report" -> report();
        default -> Future.failedFuture(Codex32Exception.badRequest("unknown_action", "unknown executor action"));
      };
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(message::reply).onFailure(failure -> fail(message, failure));
  }

  /** The spec of a start or restart, keeping the bot token that came with it (from a gateway, for a node that cannot sign). */
  private BotSpec delivered(JsonObject command) {
    BotSpec spec = BotSpec.fromJson(command.getJsonObject("spec"));
    String token = command.getString("bot_token");
    if (token != null) {
      deliveredTokens.put(spec.id(), token);
    }
    return spec;
  }

  private static void fail(Message<JsonObject> message, Throwable failure) {
    Codex32Exception error = failure instanceof Codex32Exception e ? e
        : Codex32Exception.unavailable("executor_error", String.valueOf(failure.getMessage()), failure);
    message.fail(error.status(), new JsonObject().put("code", error.code()).put("message", error.getMessage()).encode());
  }

  private Future<JsonObject> start(BotSpec spec) {
    BotLifecycle bot = bots.computeIfAbsent(spec.id(), id -> new BotLifecycle(spec, clock, this::publish));
    bot.use(spec);
    bot.operatorStart();
    return switch (bot.status()) {
      case STOPPED, FAILED -> launch(bot);
      case RESTARTING -> {
        vertx.cancelTimer(bot.timer());
        yield launch(bot);
      }
      default -> Future.succeededFuture(accepted(bot));
    };
  }

  private Future<JsonObject> stop(String botId) {
    BotLifecycle bot = bots.get(botId);
    if (bot == null) {
      return Future.succeededFuture(new JsonObject().put("accepted", true).put("known", false));
    }
    bot.operatorStop();
    halt(bot, "stopped by operator");
    vertx.executeBlocking(() -> {
      saved.stopped(botId);
      return null;
    }).onFailure(failure -> LOG.warn("bot {}: could not note it was stopped: {}", botId, failure.getMessage()));
    return Future.succeededFuture(accepted(bot));
  }

  private Future<JsonObject> restart(BotSpec spec) {
    BotLifecycle bot = bots.get(spec.id());
    if (bot == null || bot.status() != BotStatus.RUNNING) {
      return start(spec);
    }
    bot.use(spec);
    bot.operatorStart();
    halt(bot, "restarting on request");
    return Future.succeededFuture(accepted(bot));
  }

  private Future<JsonObject> remove(String botId) {
    BotLifecycle bot = bots.get(botId);
    if (bot != null) {
      bot.operatorStop();
    }
    Future<Void> stopped = bot == null ? Future.succeededFuture() : halt(bot, "removed");
    stopped.onComplete(done -> {
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
    });
    return Future.succeededFuture(new JsonObject().put("accepted", true));
  }

  /** Every bot this executor supervises publishes its status again (after the node was out of reach). */
  private Future<JsonObject> report() {
    List<BotLifecycle> all = List.copyOf(bots.values());
    all.forEach(BotLifecycle::reannounce);
    return Future.succeededFuture(new JsonObject().put("bots", all.size()));
  }

  private Future<JsonObject> logsOf(JsonObject request) {
    String since = request.getString("since");
    JsonArray items = new JsonArray();
    logs.tail(request.getString("bot_id"), request.getInteger("tail", 100), since == null ? null : Instant.parse(since))
        .forEach(line -> items.add(line.toJson()));
    return Future.succeededFuture(new JsonObject().put("items", items));
  }

  private static JsonObject accepted(BotLifecycle bot) {
    return new JsonObject().put("accepted", true).put("status", bot.status().wireName());
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** STARTING → RUNNING, or FAILED with the launcher's reason (which is also the command's reply). */
  private Future<JsonObject> launch(BotLifecycle bot) {
    return launch(bot, null);
  }

  private Future<JsonObject> launch(BotLifecycle bot, String why) {
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
        .map(running -> {
          running(bot, running, why);
          return accepted(bot);
        })
        .recover(failure -> {
          bot.moveTo(BotStatus.FAILED, failureReason(failure));
          return Future.failedFuture(failure);
        });
  }

  private void running(BotLifecycle bot, RunningProcess process, String why) {
    long generation = bot.launched(process);
    bot.moveTo(BotStatus.RUNNING, why);
    Future.fromCompletionStage(process.onExit(), context)
        .onSuccess(exit -> exited(bot, generation, exit));
    long maxRuntime = bot.spec().maxRuntimeSeconds();
    if (maxRuntime > 0) {
      vertx.setTimer(maxRuntime * 1000, id -> {
        if (generation == bot.generation() && bot.status() == BotStatus.RUNNING) {
          bot.stopCause(MAX_RUNTIME_EXCEEDED);
          halt(bot, MAX_RUNTIME_EXCEEDED + ": ran " + maxRuntime + " s");
        }
      });
    }
    if (!bot.wantRunning()) {
      halt(bot, "stopped by operator");
    }
  }

  private void exited(BotLifecycle bot, long generation, ExitStatus exit) {
    if (generation != bot.generation() || bots.get(bot.id()) != bot) {
      return;
    }
    if (bot.status() == BotStatus.STOPPING) {
      // an exit the executor asked for: halt() stopped the whole tree and decides what follows
      vertx.executeBlocking(() -> forget(bot.id(), false));
      bot.stopped(exit);
      return;
    }
    // what the run left behind dies before anything is decided (and before any restart is launched);
    // then read what it wrote last, so a failure report carries its last lines
    vertx.executeBlocking(() -> forget(bot.id(), true), false)
        .compose(v -> logs.stopFollowing(bot.id()))
        .onComplete(read -> {
          if (generation == bot.generation() && bot.status() == BotStatus.RUNNING) {
            decideAfterExit(bot, exit);
          }
        });
  }

  /** Drops the process record; with {@code leftovers}, also kills what is left in the bot's cgroup. */
  private Void forget(String botId, boolean leftovers) {
    launcher.forget(botId);
    if (leftovers) {
      launcher.cgroups().killLeftovers(botId);
    }
    return null;
  }

  private void decideAfterExit(BotLifecycle bot, ExitStatus exit) {
    switch (bot.afterUnexpectedExit(exit)) {
      case RESTART -> scheduleRestart(bot, describe(exit));
      case STOP -> bot.moveTo(BotStatus.STOPPED, describe(exit));
      case FAIL -> bot.moveTo(BotStatus.FAILED, bot.wantedRestart() ? bot.restartLimitReason() : describe(exit));
      default -> throw new IllegalStateException();
    }
  }

  private void scheduleRestart(BotLifecycle bot, String why) {
    long delay = bot.nextBackoffMs();
    bot.moveTo(BotStatus.RESTARTING, why + "; restarting in " + delay + " ms");
    bot.timer(vertx.setTimer(Math.max(1, delay), id -> {
      if (bot.status() == BotStatus.RESTARTING && bots.get(bot.id()) == bot) {
        launch(bot);
      }
    }));
  }

  /**
   * Stops the bot's process tree (SIGTERM, grace, SIGKILL) and moves on: to STARTING for a
   * restart, through the restart policy after a quota breach, else to STOPPED.
   */
  private Future<Void> halt(BotLifecycle bot, String why) {
    switch (bot.status()) {
      case RESTARTING -> {
        vertx.cancelTimer(bot.timer());
        bot.moveTo(BotStatus.STOPPED, why);
        return Future.succeededFuture();
      }
      case FAILED -> {
        bot.moveTo(BotStatus.STOPPED, why);
        return Future.succeededFuture();
      }
      case RUNNING -> {
        // continue below
      }
      default -> {
        return Future.succeededFuture();
      }
    }
    RunningProcess process = bot.process();
    bot.moveTo(BotStatus.STOPPING, why);
    Duration grace = Duration.ofMillis(bot.spec().stopTimeoutMs());
    return vertx.executeBlocking(() -> stopTree(bot.id(), process.pid(), grace), false)
        .compose(killed -> Future.fromCompletionStage(process.onExit(), context)
            .compose(exit -> logs.stopFollowing(bot.id()).map(exit))
            .map(exit -> {
              bot.stopped(exit);
              afterHalt(bot, killed);
              return (Void) null;
            }))
        .recover(failure -> {
          LOG.error("could not stop bot {}", bot.id(), failure);
          bot.moveTo(BotStatus.FAILED, "could not stop: " + failure.getMessage());
          return Future.failedFuture(failure);
        });
  }

  /**
   * After a stop, the desired state decides; a stop the executor made itself (quota breach, run
   * too long) counts as a failed run and goes through the restart policy.
   */
  private void afterHalt(BotLifecycle bot, boolean killed) {
    String how = killed ? " (killed after " + bot.spec().stopTimeoutMs() + " ms)" : "";
    String cause = bot.stopCause();
    if (!bot.wantRunning()) {
      bot.moveTo(BotStatus.STOPPED, bot.reason() + how);
    } else if (cause != null) {
      switch (bot.afterUnexpectedExit(bot.lastExit())) {
        case RESTART -> scheduleRestart(bot, cause + how);
        default -> bot.moveTo(BotStatus.FAILED, cause + how);
      }
    } else {
      launch(bot);
    }
  }

  // ---- heartbeats ----------------------------------------------------------------------------

  /** Heartbeats reach every executor; only the one supervising the bot (while it runs) keeps them. */
  private void onHeartbeat(Message<JsonObject> message) {
    JsonObject body = message.body();
    BotLifecycle bot = bots.get(body.getString("bot_id", ""));
    if (bot == null || bot.status() != BotStatus.RUNNING && bot.status() != BotStatus.STARTING) {
      return;
    }
    bot.heartbeat(clock.instant(), body.getString("status"), body.getJsonObject("metrics"));
  }

  /** Stops a bot that stopped sending heartbeats: a failed run, so its restart policy applies. */
  private void watchHeartbeats() {
    Instant now = clock.instant();
    for (BotLifecycle bot : List.copyOf(bots.values())) {
      if (bot.heartbeatOverdue(now)) {
        long timeout = bot.spec().heartbeatTimeoutSeconds();
        LOG.warn("bot {} sent no heartbeat for {} s: stopping it", bot.id(), timeout);
        bot.stopCause(HEARTBEAT_TIMEOUT);
        halt(bot, HEARTBEAT_TIMEOUT + ": no heartbeat for " + timeout + " s");
      }
    }
  }

  // ---- sampling and quotas --------------------------------------------------------------------

  private void sample() {
    if (sampling) {
      return;
    }
    List<BotLifecycle> running = bots.values().stream().filter(b -> b.status() == BotStatus.RUNNING && b.process() != null).toList();
    if (running.isEmpty()) {
      return;
    }
    sampling = true;
    List<Long> pids = running.stream().map(b -> b.process().pid()).toList();
    vertx.executeBlocking(() -> sampler.sample(pids), false)
        .onComplete(done -> sampling = false)
        .onSuccess(usage -> recordUsage(running, usage))
        .onFailure(failure -> LOG.warn("sampling failed: {}", failure.getMessage()));
  }

  private void recordUsage(List<BotLifecycle> sampled, Map<Long, ProcessUsage> usage) {
    Instant now = clock.instant();
    JsonArray samples = new JsonArray();
    for (BotLifecycle bot : sampled) {
      ProcessUsage u = bot.process() == null ? null : usage.get(bot.process().pid());
      if (u == null || bot.status() != BotStatus.RUNNING) {
        continue;
      }
      MetricSample sample = MetricSample.of(now, u);
      samples.add(sample.toJson().put("bot_id", bot.id()).put("last_heartbeat", instantText(bot.lastHeartbeat()))
          .put("heartbeat_status", bot.heartbeatStatus()).put("heartbeat_metrics", bot.heartbeatMetrics()));
      if (bot.quotaBreached(overQuota(bot, sample), QUOTA_SAMPLES)) {
        bot.stopCause(QUOTA_EXCEEDED);
        halt(bot, QUOTA_EXCEEDED + ": " + quotaText(bot, sample));
      }
    }
    if (!samples.isEmpty()) {
      vertx.eventBus().publish(Addresses.BOT_EVENTS, new JsonObject().put("type", "metrics").put("node", settings.nodeId())
          .put("time", now.toString()).put("samples", samples));
    }
  }

  private static boolean overQuota(BotLifecycle bot, MetricSample sample) {
    Integer memory = bot.spec().resources().maxMemoryMb();
    Integer cpu = bot.spec().resources().maxCpuPercent();
    return memory != null && sample.memoryMb() > memory || cpu != null && sample.cpuPercent() > cpu;
  }

  private static String quotaText(BotLifecycle bot, MetricSample sample) {
    return String.format("memory %.0f MB (max %s), cpu %.0f %% (max %s)", sample.memoryMb(), bot.spec().resources().maxMemoryMb(),
        sample.cpuPercent(), bot.spec().resources().maxCpuPercent());
  }

  // ---- events ---------------------------------------------------------------------------------

  private void publish(BotLifecycle bot) {
    RunningProcess process = bot.process();
    ExitStatus exit = bot.lastExit();
    JsonObject event = new JsonObject()
        .put("type", "status")
        .put("bot_id", bot.id())
        .put("node", settings.nodeId())
        .put("status", bot.status().wireName())
        .put("version", bot.version())
        .put("reason", bot.reason())
        .put("pid", process == null ? null : process.pid())
        .put("started_at", process == null ? null : process.startedAt().toString())
        .put("adopted", process != null && process.adopted())
        .put("restarts", bot.restarts())
        .put("exit_code", exit == null ? null : exit.code())
        .put("signal", exit == null ? null : exit.signal())
        .put("enforcement", launcher.cgroups().enforcement())
        .put("last_heartbeat", instantText(bot.lastHeartbeat()))
        .put("time", bot.now().toString());
    if (bot.status() == BotStatus.FAILED) {
      JsonArray lines = new JsonArray();
      logs.tail(bot.id(), FAILURE_LOG_LINES, null).forEach(line -> lines.add(line.line()));
      event.put("last_lines", lines);
    }
    vertx.eventBus().publish(Addresses.BOT_EVENTS, event);
  }

  private static String instantText(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String describe(ExitStatus exit) {
    if (exit.signal() != null) {
      return "killed by signal " + exit.signal();
    }
    return exit.code() == null ? "exited" : "exited with code " + exit.code();
  }

  private static String failureReason(Throwable failure) {
    return failure instanceof Codex32Exception e ? e.code() + ": " + e.getMessage() : "launch failed: " + failure.getMessage();
  }

  // ---- persistence and adoption ---------------------------------------------------------------

  /**
   * Bots left running by a previous executor are adopted (same pid and start time), or stopped when
   * adoption is off; either way never started twice.
   */
  private Future<Void> adoptSurvivors() {
    if (!settings.adoptRunning()) {
      return vertx.executeBlocking(this::stopSurvivors, false).map(stopped -> {
        stopped.forEach(spec -> {
          BotLifecycle bot = new BotLifecycle(spec, clock, this::publish);
          bots.put(spec.id(), bot);
          bot.moveTo(BotStatus.STOPPED, "stopped at executor start (executor.adopt_running is false)");
        });
        return null;
      });
    }
    return vertx.executeBlocking(this::findSaved, false).map(found -> {
      found.forEach(bot -> {
        if (bot.saved().token() != null) {
          deliveredTokens.put(bot.saved().spec().id(), bot.saved().token());
        }
        if (bot.process() != null) {
          adopt(bot.saved().spec(), bot.process());
        } else if (bot.saved().wantRunning()) {
          resume(bot.saved().spec());
        }
      });
      return null;
    });
  }

  private void adopt(BotSpec spec, RunningProcess process) {
    BotLifecycle bot = new BotLifecycle(spec, clock, this::publish);
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
    BotLifecycle bot = new BotLifecycle(spec, clock, this::publish);
    bots.put(spec.id(), bot);
    bot.operatorStart();
    LOG.info("starting bot {} again: it should run and its process is gone", spec.id());
    launch(bot, "started again at executor start: it should run and its process was gone")
        .onFailure(failure -> LOG.warn("bot {} could not be started again: {}", spec.id(), failure.getMessage()));
  }

  /** The bot's process group, its descendants and everything in its cgroup: SIGTERM, grace, SIGKILL. */
  private boolean stopTree(String botId, long pid, Duration grace) {
    return ProcessGroups.stop(pid, grace, () -> launcher.cgroups().members(botId));
  }

  private List<BotSpec> stopSurvivors() throws IOException {
    List<BotSpec> stopped = new ArrayList<>();
    for (FoundBot survivor : findSaved()) {
      if (survivor.process() == null) {
        continue;
      }
      BotSpec spec = survivor.saved().spec();
      stopTree(spec.id(), survivor.process().pid(), Duration.ofMillis(spec.stopTimeoutMs()));
      launcher.forget(spec.id());
      LOG.info("stopped bot {} (pid {}) left running by an earlier executor", spec.id(), survivor.process().pid());
      stopped.add(spec);
    }
    return stopped;
  }

  /** A bot on disk, with its process when that is still running (null otherwise). */
  private record FoundBot(SavedBots.SavedBot saved, RunningProcess process) {
  }

  private List<FoundBot> findSaved() throws IOException {
    List<FoundBot> found = new ArrayList<>();
    for (SavedBots.SavedBot bot : saved.list()) {
      found.add(new FoundBot(bot, launcher.adopt(bot.spec().id())));
    }
    return found;
  }
}
