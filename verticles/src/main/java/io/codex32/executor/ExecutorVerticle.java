package io.codex32.executor;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotHeartbeat;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ExecutorReply;
import io.codex32.bus.ExecutorRequest;
import io.codex32.executor.lifecycle.LifecycleEvent;
import io.codex32.executor.logs.BotLogs;
import io.codex32.executor.logs.LogLimits;
import io.codex32.executor.process.BotCgroups;
import io.codex32.executor.process.ProcessLauncher;
import io.codex32.executor.sampling.ProcessSampler;
import io.codex32.executor.settings.ExecutorSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the processes of the bots placed on one node and makes their actual state follow the
 * desired state. Requests arrive on {@code codex32.node.<id>.executor} and are handed to the
 * {@link BotSupervisor}, which carries out what the lifecycle policy decides; every status change
 * is published on {@code codex32.bots.events}. All lifecycle state is touched only on this
 * verticle's event loop; process starts, stops, file writes and sampling run on worker threads.
 */
public final class ExecutorVerticle extends VerticleBase {

  /** How often the heartbeat watchdog looks (a cheap scan of this node's bots on the event loop). */
  static final long WATCHDOG_INTERVAL_MS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorVerticle.class);
  private static final String FAILURE_CODE = "executor_error";

  private final ExecutorSettings settings;
  private final ProcessLauncher launcher;
  private final BotLogs logs;
  private final ProcessSampler sampler;
  private final Function<String, Future<String>> botTokens;
  private final Clock clock;
  private BotSupervisor bots;
  private long sampleTimer = -1;
  private long watchdogTimer = -1;

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
  }

  @Override
  public Future<?> start() {
    bots = new BotSupervisor(vertx, context, settings, launcher, logs, botTokens, clock);
    BotSampling sampling = new BotSampling(vertx, sampler, bots, settings.nodeId(), clock);
    return bots.takeOver(settings.adoptRunning())
        .compose(v -> vertx.eventBus().consumer(Addresses.executor(settings.nodeId()), this::onRequest).completion())
        .compose(v -> vertx.eventBus().consumer(Addresses.BOT_HEARTBEATS, this::onHeartbeat).completion())
        .onSuccess(v -> {
          sampleTimer = vertx.setPeriodic(settings.sampleIntervalMs(), id -> sampling.sample());
          watchdogTimer = vertx.setPeriodic(WATCHDOG_INTERVAL_MS, id -> bots.watchHeartbeats());
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

  private void onRequest(Message<Object> message) {
    ExecutorRequest request;
    try {
      request = ExecutorRequest.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("refusing an executor request it cannot read: {}", e.getMessage());
      BusFailures.fail(message, e, FAILURE_CODE);
      return;
    }
    Future<ExecutorReply> reply;
    try {
      reply = dispatch(request);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(answer -> message.reply(answer.toJson())).onFailure(failure -> BusFailures.fail(message, failure, FAILURE_CODE));
  }

  private Future<ExecutorReply> dispatch(ExecutorRequest request) {
    if (request instanceof ExecutorRequest.Start start) {
      return bots.run(start.spec(), start.botToken(), new LifecycleEvent.OperatorStart());
    } else if (request instanceof ExecutorRequest.Restart restart) {
      return bots.run(restart.spec(), restart.botToken(), new LifecycleEvent.OperatorRestart());
    } else if (request instanceof ExecutorRequest.Stop stop) {
      return bots.stop(stop.botId());
    } else if (request instanceof ExecutorRequest.Remove remove) {
      return bots.remove(remove.botId());
    } else if (request instanceof ExecutorRequest.Logs tail) {
      return Future.succeededFuture(new ExecutorReply.LogTail(logs.tail(tail.botId(), tail.tail(), tail.since())));
    } else if (request instanceof ExecutorRequest.Summary) {
      return Future.succeededFuture(new ExecutorReply.BotCount(bots.count()));
    }
    return Future.succeededFuture(bots.report());
  }

  /** Heartbeats reach every executor; an unreadable one is dropped with a warning. */
  private void onHeartbeat(Message<Object> message) {
    BotHeartbeat heartbeat;
    try {
      heartbeat = BotHeartbeat.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("ignoring a bot heartbeat it cannot read: {}", e.getMessage());
      return;
    }
    bots.heartbeat(heartbeat);
  }
}
