package io.codex32.executor.logs;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotLogLine;
import io.codex32.executor.settings.BotPaths;
import io.codex32.executor.logs.LineSplitter.RawLine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log files bots write (stdout.log, stderr.log in their logs dir), line by line and off
 * the event loop: caps line length, keeps a bounded ring per bot, rotates the files before they
 * pass their size cap (copy then truncate, keeping a few generations), and publishes each line on
 * {@code codex32.bots.logs.<botId>}. Because the bot writes the files itself, following continues
 * when an executor restarts and adopts a running bot. Thread-safe.
 *
 * <p>Threading: one daemon thread polls every followed file of every bot, every
 * {@link LogLimits#pollIntervalMs()}, and again after {@value #BUSY_REPOLL_MS} ms while some file
 * is written faster than that. All file work, follow/unfollow/discard bookkeeping and publishing
 * happen on it, in the order they were asked for; callers only enqueue. The one exception is
 * {@link #follow} with {@code fromEnd}, which reads the two file sizes on the caller's thread (two
 * stats, microseconds) so that "skip what is there" means what was there at the call.
 *
 * <p>Flood control: a pass reads at most {@code max(4 × maxFileBytes, 4 MiB)} per file, decodes
 * only the lines that can still reach the ring ({@link LogLimits#ringLines()}), and publishes at
 * most {@value #PUBLISHED_LINES_PER_SECOND} lines per second per bot (token bucket, one second
 * burst), choosing the newest lines of the pass: under a flood the bus gets the latest lines and
 * the rest are counted in {@link LogStats#dropped()}. Every line read gets a seq, so readers see
 * the gaps.
 *
 * <p>Disk cap (copytruncate): a file that reached 7/8 of {@link LogLimits#maxFileBytes()} is copied
 * to {@code .1} (older generations shift up to {@link LogLimits#keptGenerations()}, the oldest is
 * deleted) and truncated to 0; the bot's O_APPEND descriptor then writes at the new end. Lines
 * written between the copy and the truncate are lost, and a flood that pushed a file past the cap
 * within one pass keeps only its newest {@code maxFileBytes} in {@code .1}. So each generation
 * stays within {@code maxFileBytes} and the live file within its cap plus one pass's writes: per
 * stream, disk use ≤ {@code (keptGenerations + 1) × maxFileBytes} + what the bot writes between
 * two passes. A writer without O_APPEND would leave a sparse file after a truncate: bots' output
 * must be redirected in append mode. Files of bots not followed are not rotated.
 */
public final class BotLogs {

  /** Publishing rate per bot; lines read beyond it stay in the ring and are counted as dropped. */
  public static final int PUBLISHED_LINES_PER_SECOND = 1000;
  static final long BUSY_REPOLL_MS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(BotLogs.class);
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final BotPaths paths;
  private final LogLimits limits;
  private final ScheduledThreadPoolExecutor poller;
  private final ConcurrentMap<String, BotLog> bots = new ConcurrentHashMap<>();
  /** Used by the poller thread only. */
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private volatile boolean closed;
  private volatile long passes;

  public BotLogs(Vertx vertx, BotPaths paths, LogLimits limits) {
    this.vertx = vertx;
    this.paths = paths;
    this.limits = limits;
    this.poller = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "codex32-bot-logs");
      thread.setDaemon(true);
      return thread;
    });
    poller.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    schedulePass(limits.pollIntervalMs());
  }

  /**
   * Starts following the bot's files; {@code fromEnd} skips what is already in them. A bot followed
   * before (and not discarded) continues where reading stopped, never re-reading lines. Files that
   * do not exist yet are read from their start once they appear.
   */
  public void follow(String botId, boolean fromEnd) {
    requireOpen();
    long stdoutEnd = fromEnd ? sizeOrZero(paths.stdout(botId)) : 0;
    long stderrEnd = fromEnd ? sizeOrZero(paths.stderr(botId)) : 0;
    enqueue(() -> {
      BotLog log = bots.computeIfAbsent(botId, BotLog::new);
      if (!log.following) {
        log.stdout.skipTo(Math.max(stdoutEnd, log.stdout.offset()));
        log.stderr.skipTo(Math.max(stderrEnd, log.stderr.offset()));
        log.following = true;
      }
    });
  }

  /** Reads what is left in the files, then stops following. */
  public void unfollow(String botId) {
    stopFollowing(botId);
  }

  /**
   * Like {@link #unfollow}, and completes (on the caller's context) once what was left in the files,
   * including a last line without newline, is in the ring and published: then {@link #tail} shows
   * the end of a run that just exited.
   */
  public Future<Void> stopFollowing(String botId) {
    if (closed) {
      return Future.succeededFuture();
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    enqueue(() -> {
      BotLog log = bots.get(botId);
      if (log != null && log.following) {
        log.following = false;
        drain(log);
      }
      caller.runOnContext(v -> done.complete());
    });
    return done.future();
  }

  public boolean isFollowing(String botId) {
    BotLog log = bots.get(botId);
    return log != null && log.following;
  }

  /** The newest {@code n} lines (oldest first), only those at or after {@code since} when given. */
  public List<BotLogLine> tail(String botId, int n, Instant since) {
    BotLog log = bots.get(botId);
    if (log == null || n <= 0) {
      return List.of();
    }
    return log.ring.newest(n, line -> since == null || !line.time().isBefore(since));
  }

  public LogStats stats(String botId) {
    BotLog log = bots.get(botId);
    return log == null ? LogStats.NONE : log.stats();
  }

  /** Lines read but not published (over the publish rate); they are still in the ring while it holds them. */
  public long dropped(String botId) {
    return stats(botId).dropped();
  }

  /** Forgets the ring and deletes nothing on disk; also stops following the bot. */
  public void discard(String botId) {
    BotLog log = bots.remove(botId); // at once, so tail() no longer shows it
    if (log != null) {
      log.following = false;
    }
    if (!closed) {
      enqueue(() -> bots.remove(botId)); // and after a follow() still queued before this call
    }
  }

  /** Stops all following threads/timers. Does not wait for a pass in progress. */
  public void close() {
    closed = true;
    poller.shutdown();
  }

  /** Passes over all followed files completed so far (lets tests wait for "nothing more happened"). */
  long passes() {
    return passes;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("bot logs are closed");
    }
  }

  private void enqueue(Runnable task) {
    try {
      poller.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("bot log task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("bot logs are closed", e);
    }
  }

  private void schedulePass(long delayMs) {
    if (closed) {
      return;
    }
    try {
      poller.schedule(this::pass, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void pass() {
    boolean busy = false;
    try {
      for (BotLog log : bots.values()) {
        if (log.following && !closed) {
          busy |= poll(log);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("bot log pass failed", e); // a scheduled task that throws is never run again: keep the loop alive
    } finally {
      passes++;
      schedulePass(busy ? BUSY_REPOLL_MS : limits.pollIntervalMs());
    }
  }

  private boolean poll(BotLog log) {
    Batch batch = new Batch(log);
    boolean busy = false;
    for (LogFileTail file : log.files()) {
      try {
        busy |= file.poll(readBuffer, line -> batch.add(file.stream(), line));
        log.clearError(file);
      } catch (IOException | RuntimeException e) {
        log.reportError(file, e);
      }
    }
    deliver(log, batch);
    return busy;
  }

  private void drain(BotLog log) {
    Batch batch = new Batch(log);
    for (LogFileTail file : log.files()) {
      try {
        file.drain(readBuffer, line -> batch.add(file.stream(), line));
      } catch (IOException | RuntimeException e) {
        log.reportError(file, e);
      }
    }
    deliver(log, batch);
  }

  /** Decodes the lines that can still reach the ring, keeps them, and publishes what the rate allows. */
  private void deliver(BotLog log, Batch batch) {
    if (batch.total == 0) {
      return;
    }
    Instant now = Instant.now();
    List<BotLogLine> lines = new ArrayList<>(batch.kept.size());
    for (Pending pending : batch.kept) {
      String text = new String(pending.raw.bytes(), StandardCharsets.UTF_8);
      lines.add(new BotLogLine(log.botId, pending.seq, now, pending.stream,
          pending.raw.truncated() ? text + LogLimits.TRUNCATION_MARKER : text));
    }
    log.ring.addAll(lines);
    int allowed = log.takePublishTokens(lines.size());
    String address = Addresses.botLogs(log.botId);
    try {
      for (BotLogLine line : lines.subList(lines.size() - allowed, lines.size())) {
        vertx.eventBus().publish(address, line.toJson());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not publish log lines of bot {}: {}", log.botId, e.toString());
      allowed = 0;
    }
    log.lines += batch.total;
    log.published += allowed;
    log.dropped += batch.total - allowed;
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** A line read in this pass, numbered but not decoded yet. */
  private record Pending(long seq, String stream, RawLine raw) {
  }

  /** The lines of one pass over a bot's files: all are numbered, only the newest ringLines are kept. */
  private final class Batch {

    private final BotLog log;
    private final ArrayDeque<Pending> kept = new ArrayDeque<>();
    private long total;

    Batch(BotLog log) {
      this.log = log;
    }

    void add(String stream, RawLine raw) {
      if (kept.size() == limits.ringLines()) {
        kept.pollFirst();
      }
      kept.addLast(new Pending(++log.seq, stream, raw));
      total++;
    }
  }

  /** Everything about one bot's logs. Fields without volatile are touched by the poller thread only. */
  private final class BotLog {

    final String botId;
    final BoundedRing<BotLogLine> ring = new BoundedRing<>(limits.ringLines());
    final LogFileTail stdout;
    final LogFileTail stderr;
    volatile boolean following;
    long seq;
    volatile long lines;
    volatile long published;
    volatile long dropped;
    private double tokens = PUBLISHED_LINES_PER_SECOND;
    private long tokensAt = System.nanoTime();
    private final String[] lastErrors = new String[2];

    BotLog(String botId) {
      this.botId = botId;
      this.stdout = new LogFileTail(paths.stdout(botId), BotLogLine.STDOUT, limits);
      this.stderr = new LogFileTail(paths.stderr(botId), BotLogLine.STDERR, limits);
    }

    List<LogFileTail> files() {
      return List.of(stdout, stderr);
    }

    int takePublishTokens(int wanted) {
      long now = System.nanoTime();
      tokens = Math.min(PUBLISHED_LINES_PER_SECOND, tokens + (now - tokensAt) * PUBLISHED_LINES_PER_SECOND / 1e9);
      tokensAt = now;
      int granted = (int) Math.min(wanted, Math.floor(tokens));
      tokens -= granted;
      return granted;
    }

    LogStats stats() {
      return new LogStats(lines, published, dropped, stdout.skippedBytes() + stderr.skippedBytes(),
          stdout.rotations() + stderr.rotations());
    }

    /** Logs a failing file once, not every pass. */
    void reportError(LogFileTail file, Exception e) {
      int index = file == stdout ? 0 : 1;
      String message = e.toString();
      if (!message.equals(lastErrors[index])) {
        lastErrors[index] = message;
        LOG.warn("cannot follow {} log of bot {}: {}", file.stream(), botId, message);
      }
    }

    void clearError(LogFileTail file) {
      lastErrors[file == stdout ? 0 : 1] = null;
    }
  }
}
