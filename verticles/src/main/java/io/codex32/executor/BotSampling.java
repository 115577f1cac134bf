package io.codex32.executor;

import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.executor.lifecycle.BotLifecycle;
import io.codex32.executor.sampling.ProcessSampler;
import io.codex32.executor.sampling.ProcessUsage;
import io.codex32.executor.sampling.QuotaCheck;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the process trees of the running bots (one pass on a worker thread; a pass still running
 * skips the next), publishes the samples on {@code codex32.bots.events} and reports quota breaches
 * to the supervisor. Lives on the executor verticle's event loop.
 */
final class BotSampling {

  private static final Logger LOG = LoggerFactory.getLogger(BotSampling.class);

  private final Vertx vertx;
  private final ProcessSampler sampler;
  private final BotSupervisor bots;
  private final String nodeId;
  private final Clock clock;
  private boolean sampling;

  BotSampling(Vertx vertx, ProcessSampler sampler, BotSupervisor bots, String nodeId, Clock clock) {
    this.vertx = vertx;
    this.sampler = sampler;
    this.bots = bots;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  void sample() {
    if (sampling) {
      return;
    }
    List<BotLifecycle> running = bots.running();
    if (running.isEmpty()) {
      return;
    }
    sampling = true;
    List<Long> pids = running.stream().map(b -> b.process().pid()).toList();
    vertx.executeBlocking(() -> sampler.sample(pids), false)
        .onComplete(done -> sampling = false)
        .onSuccess(usage -> record(running, usage))
        .onFailure(failure -> LOG.warn("sampling failed: {}", failure.getMessage()));
  }

  private void record(List<BotLifecycle> sampled, Map<Long, ProcessUsage> usage) {
    Instant now = clock.instant();
    List<BotEvent.Sample> samples = new ArrayList<>();
    for (BotLifecycle bot : sampled) {
      ProcessUsage u = bot.process() == null ? null : usage.get(bot.process().pid());
      if (u == null || bot.status() != BotStatus.RUNNING) {
        continue;
      }
      samples.add(new BotEvent.Sample(bot.id(), now, u.cpuPercent(), u.memoryMb(), u.processes(), bot.lastHeartbeat(),
          bot.heartbeatStatus(), bot.heartbeatMetrics()));
      if (bot.quotaBreached(QuotaCheck.exceeded(bot.spec().resources(), u), QuotaCheck.SAMPLES)) {
        bots.quotaBreached(bot, QuotaCheck.describe(bot.spec().resources(), u));
      }
    }
    if (!samples.isEmpty()) {
      vertx.eventBus().publish(Addresses.BOT_EVENTS, new BotEvent.Metrics(nodeId, now, samples).toJson());
    }
  }
}
