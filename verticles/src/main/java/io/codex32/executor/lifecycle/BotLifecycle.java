package io.codex32.executor.lifecycle;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.RestartPolicy;
import io.codex32.executor.process.ExitStatus;
import io.codex32.executor.process.RunningProcess;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The executor's state of one bot: status with an explicit transition table, desired state,
 * generation of the current process, restart budget and backoff attempt, heartbeats. It performs
 * no I/O and decides nothing ({@link LifecyclePolicy} does, from {@link #situation()}); it lives on
 * the executor verticle's event loop only, so it needs no locks. Every transition is reported to
 * the listener with a version that only grows (see the package README for the diagram).
 */
public final class BotLifecycle {

  private static final Map<BotStatus, Set<BotStatus>> ALLOWED = Map.of(
      BotStatus.STOPPED, EnumSet.of(BotStatus.STARTING),
      BotStatus.FAILED, EnumSet.of(BotStatus.STARTING, BotStatus.STOPPED),
      BotStatus.STARTING, EnumSet.of(BotStatus.RUNNING, BotStatus.FAILED, BotStatus.STOPPING),
      BotStatus.RUNNING, EnumSet.of(BotStatus.STOPPING, BotStatus.RESTARTING, BotStatus.STOPPED, BotStatus.FAILED),
      BotStatus.STOPPING, EnumSet.of(BotStatus.STOPPED, BotStatus.STARTING, BotStatus.RESTARTING, BotStatus.FAILED),
      BotStatus.RESTARTING, EnumSet.of(BotStatus.STARTING, BotStatus.STOPPED));

  private final Clock clock;
  private final Consumer<BotLifecycle> listener;
  private BotSpec spec;
  private BotStatus status = BotStatus.STOPPED;
  private boolean wantRunning;
  private long generation;
  private RunningProcess process;
  private RestartBudget budget;
  private int attempt;
  private int restarts;
  private ExitStatus lastExit;
  private String reason;
  private long version;
  private long timerId = -1;
  private int quotaBreaches;
  private String stopCause;
  private Instant watchedSince;
  private Instant lastHeartbeat;
  private String heartbeatStatus;
  private JsonObject heartbeatMetrics;

  public BotLifecycle(BotSpec spec, Clock clock, Consumer<BotLifecycle> listener) {
    this.clock = clock;
    this.listener = listener;
    use(spec);
  }

  /** A changed spec applies from the next start; the restart budget only starts over when the policy changed. */
  public void use(BotSpec newSpec) {
    RestartPolicy policy = newSpec.restart();
    if (spec == null || !policy.equals(spec.restart())) {
      this.budget = RestartBudget.of(policy);
    }
    this.spec = newSpec;
  }

  /** What the policy needs to decide, now. */
  public Situation situation() {
    return new Situation(status, wantRunning, generation, reason, stopCause, process == null ? null : process.startedAt(),
        spec.restart(), budget, attempt, clock.instant());
  }

  public void moveTo(BotStatus next, String why) {
    if (next != status && !ALLOWED.getOrDefault(status, Set.of()).contains(next)) {
      throw new IllegalStateException("bot " + spec.id() + ": no transition " + status + " -> " + next);
    }
    status = next;
    reason = why;
    version = Math.max(version + 1, clock.millis());
    listener.accept(this);
  }

  /** Announces the current state again, with a new version (a gateway asked the node what it runs). */
  public void reannounce() {
    version = Math.max(version + 1, clock.millis());
    listener.accept(this);
  }

  /** Desired state: running. */
  public void operatorStart() {
    wantRunning = true;
  }

  /** Desired state: stopped. */
  public void operatorStop() {
    wantRunning = false;
  }

  /** An operator start of a stopped or failed bot: a fresh restart budget and backoff. */
  public void freshBudget() {
    budget = budget.reset();
    attempt = 0;
    restarts = 0;
  }

  /** An automatic restart was scheduled: it took {@code newBudget}, the next backoff starts from {@code nextAttempt}. */
  public void restartScheduled(RestartBudget newBudget, int nextAttempt) {
    budget = newBudget;
    attempt = nextAttempt;
    restarts++;
  }

  /** A new process generation: callbacks of older processes are ignored. */
  public long launched(RunningProcess running) {
    process = running;
    quotaBreaches = 0;
    stopCause = null;
    watchedSince = clock.instant();
    return ++generation;
  }

  /** The process ended (asked to or not). */
  public void exited(ExitStatus exit) {
    lastExit = exit;
    process = null;
  }

  /** Why the executor stops the current run itself (null: an operator stops it). */
  public void stopCause(String cause) {
    this.stopCause = cause;
  }

  /** Counts a quota breach; true when the bot has now been over its quota for {@code limit} samples in a row. */
  public boolean quotaBreached(boolean breached, int limit) {
    quotaBreaches = breached ? quotaBreaches + 1 : 0;
    return quotaBreaches >= limit;
  }

  /**
   * A heartbeat the bot sent (REST or MQTT), timed by the executor's clock. A heartbeat without a
   * status (or without metrics) keeps the last one reported.
   */
  public void heartbeat(Instant at, String status, JsonObject metrics) {
    lastHeartbeat = at;
    if (status != null) {
      heartbeatStatus = status;
    }
    if (metrics != null) {
      heartbeatMetrics = metrics;
    }
  }

  /**
   * Whether a running bot whose spec asks for heartbeats has been silent too long: the first one is
   * due {@code heartbeat_timeout_s} after the process was started (or adopted), each next one that
   * long after the previous.
   */
  public boolean heartbeatOverdue(Instant now) {
    long timeout = spec.heartbeatTimeoutSeconds();
    if (timeout <= 0 || status != BotStatus.RUNNING || process == null || watchedSince == null) {
      return false;
    }
    Instant last = lastHeartbeat != null && lastHeartbeat.isAfter(watchedSince) ? lastHeartbeat : watchedSince;
    return !now.isBefore(last.plusSeconds(timeout));
  }

  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  public String heartbeatStatus() {
    return heartbeatStatus;
  }

  public JsonObject heartbeatMetrics() {
    return heartbeatMetrics;
  }

  /** The pending backoff timer (meaningful while RESTARTING). */
  public void timer(long id) {
    timerId = id;
  }

  public long timer() {
    return timerId;
  }

  public BotSpec spec() {
    return spec;
  }

  public String id() {
    return spec.id();
  }

  public BotStatus status() {
    return status;
  }

  public long generation() {
    return generation;
  }

  public RunningProcess process() {
    return process;
  }

  public int restarts() {
    return restarts;
  }

  public ExitStatus lastExit() {
    return lastExit;
  }

  public String reason() {
    return reason;
  }

  public long version() {
    return version;
  }

  public Instant now() {
    return clock.instant();
  }
}
