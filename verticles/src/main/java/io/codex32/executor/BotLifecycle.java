package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.RestartPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The executor's state of one bot: status with an explicit transition table, desired state,
 * generation of the current process, restart budget and backoff attempt. It performs no I/O and
 * lives on the executor verticle's event loop only, so it needs no locks. Every transition is
 * reported to the listener with a version that only grows (see the package README for the diagram).
 */
final class BotLifecycle {

  /** What the executor does once a process has ended without being asked to. */
  enum AfterExit { RESTART, STOP, FAIL }

  private static final Map<BotStatus, Set<BotStatus>> ALLOWED = Map.of(
      BotStatus.STOPPED, EnumSet.of(BotStatus.STARTING),
      BotStatus.FAILED, EnumSet.of(BotStatus.STARTING, BotStatus.STOPPED),
      BotStatus.STARTING, EnumSet.of(BotStatus.RUNNING, BotStatus.FAILED, BotStatus.STOPPING),
      BotStatus.RUNNING, EnumSet.of(BotStatus.STOPPING, BotStatus.RESTARTING, BotStatus.STOPPED, BotStatus.FAILED),
      BotStatus.STOPPING, EnumSet.of(BotStatus.STOPPED, BotStatus.STARTING, BotStatus.RESTARTING, BotStatus.FAILED),
      BotStatus.RESTARTING, EnumSet.of(BotStatus.STARTING, BotStatus.STOPPED));

  /** Runs shorter than this (or than backoff_max_ms) count as part of a crash loop. */
  static final long STABLE_RUN_MS = 10_000;

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
  private boolean wantedRestart;
  private Instant watchedSince;
  private Instant lastHeartbeat;
  private String heartbeatStatus;
  private JsonObject heartbeatMetrics;

  BotLifecycle(BotSpec spec, Clock clock, Consumer<BotLifecycle> listener) {
    this.clock = clock;
    this.listener = listener;
    use(spec);
  }

  /** A changed spec applies from the next start; the restart budget only starts over when the policy changed. */
  void use(BotSpec newSpec) {
    RestartPolicy policy = newSpec.restart();
    if (spec == null || !policy.equals(spec.restart())) {
      this.budget = new RestartBudget(policy.maxRestarts(), Duration.ofSeconds(policy.windowSeconds()));
    }
    this.spec = newSpec;
  }

  void moveTo(BotStatus next, String why) {
    if (next != status && !ALLOWED.getOrDefault(status, Set.of()).contains(next)) {
      throw new IllegalStateException("bot " + spec.id() + ": no transition " + status + " -> " + next);
    }
    status = next;
    reason = why;
    version = Math.max(version + 1, clock.millis());
    listener.accept(this);
  }

  /** Announces the current state again, with a new version (a gateway asked the node what it runs). */
  void reannounce() {
    version = Math.max(version + 1, clock.millis());
    listener.accept(this);
  }

  /** An operator asked for the bot to run: a failed or stopped bot gets a fresh restart budget. */
  void operatorStart() {
    wantRunning = true;
    if (status == BotStatus.STOPPED || status == BotStatus.FAILED) {
      budget.reset();
      attempt = 0;
      restarts = 0;
    }
  }

  void operatorStop() {
    wantRunning = false;
  }

  /** A new process generation: callbacks of older processes are ignored. */
  long launched(RunningProcess running) {
    process = running;
    quotaBreaches = 0;
    stopCause = null;
    watchedSince = clock.instant();
    return ++generation;
  }

  /** Decides what follows an exit the executor did not ask for. */
  AfterExit afterUnexpectedExit(ExitStatus exit) {
    Instant now = clock.instant();
    if (process != null && Duration.between(process.startedAt(), now).compareTo(stableRun()) >= 0) {
      attempt = 0; // a run that lasted was not part of a crash loop: back off from the start again
    }
    lastExit = exit;
    process = null;
    // a stop the executor made itself (quota, run too long) is a failed run whatever the exit code
    boolean failure = stopCause != null || !exit.success();
    wantedRestart = switch (spec.restart().policy()) {
      case "always" -> true;
      case "never" -> false;
      default -> failure;
    };
    if (!wantedRestart) {
      return failure ? AfterExit.FAIL : AfterExit.STOP;
    }
    return budget.tryConsume(now) ? AfterExit.RESTART : AfterExit.FAIL;
  }

  /** Whether the last exit called for a restart (so a failure means the budget was spent). */
  boolean wantedRestart() {
    return wantedRestart;
  }

  /** A run at least this long resets the backoff. */
  private Duration stableRun() {
    return Duration.ofMillis(Math.max(STABLE_RUN_MS, spec.restart().backoffMaxMs()));
  }

  /** Delay before the next automatic restart; grows with every consecutive one. */
  long nextBackoffMs() {
    restarts++;
    return Backoff.delayMs(spec.restart(), attempt++, Math::random);
  }

  /** The process ended after the executor stopped it. */
  void stopped(ExitStatus exit) {
    lastExit = exit;
    process = null;
  }

  /** Counts a quota breach; true when the bot has now been over its quota for {@code limit} samples in a row. */
  boolean quotaBreached(boolean breached, int limit) {
    quotaBreaches = breached ? quotaBreaches + 1 : 0;
    return quotaBreaches >= limit;
  }

  /**
   * A heartbeat the bot sent (REST or MQTT), timed by the executor's clock. A heartbeat without a
   * status (or without metrics) keeps the last one reported.
   */
  void heartbeat(Instant at, String status, JsonObject metrics) {
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
  boolean heartbeatOverdue(Instant now) {
    long timeout = spec.heartbeatTimeoutSeconds();
    if (timeout <= 0 || status != BotStatus.RUNNING || process == null || watchedSince == null) {
      return false;
    }
    Instant last = lastHeartbeat != null && lastHeartbeat.isAfter(watchedSince) ? lastHeartbeat : watchedSince;
    return !now.isBefore(last.plusSeconds(timeout));
  }

  Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  String heartbeatStatus() {
    return heartbeatStatus;
  }

  JsonObject heartbeatMetrics() {
    return heartbeatMetrics;
  }

  void stopCause(String cause) {
    this.stopCause = cause;
  }

  String stopCause() {
    return stopCause;
  }

  void timer(long id) {
    timerId = id;
  }

  long timer() {
    return timerId;
  }

  String restartLimitReason() {
    return "restart limit reached: " + budget.used() + " restarts within " + spec.restart().windowSeconds() + " s";
  }

  BotSpec spec() {
    return spec;
  }

  String id() {
    return spec.id();
  }

  BotStatus status() {
    return status;
  }

  boolean wantRunning() {
    return wantRunning;
  }

  long generation() {
    return generation;
  }

  RunningProcess process() {
    return process;
  }

  int restarts() {
    return restarts;
  }

  ExitStatus lastExit() {
    return lastExit;
  }

  String reason() {
    return reason;
  }

  long version() {
    return version;
  }

  Instant now() {
    return clock.instant();
  }
}
