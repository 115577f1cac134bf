package io.codex32.live;

import io.codex32.config.RedisConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connection to Redis and what it does when Redis is away. While Redis answers,
 * reads and writes go to it, each bounded by {@link #TIMEOUT_MS}. Reads use a small pool of
 * connections; writes go, in the order they were made, through one pipelined connection that
 * only this link's own event loop touches. A failed connection, or {@link #TIMEOUTS_BEFORE_DOWN}
 * timeouts in a row (one slow answer on a busy machine is not an outage), mark the link down:
 * reads fail at once (callers answer from memory),
 * writes are dropped (callers keep them in memory), and a probe pings Redis with exponential
 * backoff until it answers; then the link is up again and the recovery actions run (writing back
 * what this instance knows). At most {@link #MAX_PENDING_WRITES} writes are in flight at any time;
 * beyond, writes are dropped and counted, so a slow Redis never piles work up in the gateway.
 * Thread-safe: any thread may use it.
 */
public final class RedisLink {

  static final long TIMEOUT_MS = 1000;
  static final int TIMEOUTS_BEFORE_DOWN = 3;
  static final int MAX_PENDING_WRITES = 1000;
  static final long RETRY_FIRST_MS = 100;
  static final long RETRY_MAX_MS = 5000;
  private static final int POOL_SIZE = 8;
  private static final int POOL_WAITING = 4096;
  private static final int CONNECT_TIMEOUT_MS = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final Context context;
  private final Redis client;
  private final String endpoint;
  private final String prefix;
  private final AtomicReference<String> downReason = new AtomicReference<>("not connected yet");
  private final AtomicBoolean probing = new AtomicBoolean(true);
  private final AtomicInteger pendingWrites = new AtomicInteger();
  private final AtomicInteger timeoutsInARow = new AtomicInteger();
  private final AtomicLong droppedWrites = new AtomicLong();
  private final List<Runnable> recoveryActions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** The connection writes go through, touched only on {@link #context}; null until needed. */
  private volatile Future<RedisConnection> writer;

  private RedisLink(Vertx vertx, Redis client, String endpoint, String prefix) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.endpoint = endpoint;
    this.prefix = prefix;
  }

  /**
   * Connects; completes once the first attempt has succeeded or failed. A Redis that is not there
   * yet is not a start failure: the link starts down and keeps trying.
   */
  public static Future<RedisLink> open(Vertx vertx, RedisConfig config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.url())
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpKeepAlive(true))
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(POOL_WAITING);
    RedisLink link = new RedisLink(vertx, Redis.createClient(vertx, options), config.endpoint(), config.keyPrefix());
    return link.probe(RETRY_FIRST_MS).map(v -> {
      if (!link.isUp()) {
        LOG.warn("redis at {} does not answer yet ({}): live state is kept in memory and retried in the background",
            link.endpoint, link.downReason.get());
      }
      return link;
    });
  }

  /** The full key: the configured prefix, then {@code name}. */
  String key(String name) {
    return prefix + name;
  }

  public String endpoint() {
    return endpoint;
  }

  public boolean isUp() {
    return downReason.get() == null;
  }

  /** Writes given up on (Redis down or too slow) since the start. */
  public long droppedWrites() {
    return droppedWrites.get();
  }

  /** Writes sent and not yet answered. */
  int pendingWrites() {
    return pendingWrites.get();
  }

  /** Runs after each return of Redis (on an event loop); used to write back what Redis may have lost. */
  void onRecovery(Runnable action) {
    recoveryActions.add(action);
  }

  /** One round trip with all {@code requests}; fails at once while the link is down. */
  Future<List<Response>> read(List<Request> requests) {
    if (!isUp()) {
      return Future.failedFuture(new IllegalStateException("redis at " + endpoint + " is unavailable: " + downReason.get()));
    }
    return client.batch(requests).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(answered -> timeoutsInARow.set(0))
        .onFailure(this::failed);
  }

  /** Sends {@code requests} in one round trip in the background; dropped (and counted) while down or overloaded. */
  void write(List<Request> requests) {
    if (requests.isEmpty()) {
      return;
    }
    if (!isUp()) {
      droppedWrites.incrementAndGet();
      return;
    }
    if (pendingWrites.incrementAndGet() > MAX_PENDING_WRITES) {
      pendingWrites.decrementAndGet();
      droppedWrites.incrementAndGet();
      return;
    }
    context.runOnContext(v -> writer()
        .compose(connection -> connection.batch(requests).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .onFailure(failure -> dropWriter(connection, failure)))
        .onComplete(done -> pendingWrites.decrementAndGet())
        .onSuccess(answered -> timeoutsInARow.set(0))
        .onFailure(this::failed));
  }

  /** The write connection, opened on first use and after a failure; on {@link #context} only. */
  private Future<RedisConnection> writer() {
    if (writer == null || writer.failed()) {
      writer = client.connect()
          .onSuccess(connection -> connection.exceptionHandler(failure -> dropWriter(connection, failure))
              .endHandler(end -> dropWriter(connection, null)))
          .onFailure(failure -> writer = null);
    }
    return writer;
  }

  /** Forgets a write connection that failed or closed (an error reply from Redis does not count). */
  private void dropWriter(RedisConnection connection, Throwable failure) {
    if (failure instanceof Response) {
      return;
    }
    context.runOnContext(v -> {
      if (writer != null && writer.succeeded() && writer.result() == connection) {
        writer = null;
        connection.close();
      }
    });
  }

  /** Succeeds when Redis answers a PING now; fails at once with the reason while the link is down. */
  public Future<Void> ping() {
    return read(List.of(Request.cmd(Command.PING))).mapEmpty();
  }

  public Future<Void> close() {
    closed = true;
    Future<RedisConnection> writing = writer;
    Future<Void> writerClosed = writing == null ? Future.succeededFuture() : writing.transform(done ->
        done.succeeded() ? done.result().close() : Future.succeededFuture());
    return writerClosed.transform(done -> client.close());
  }

  private void failed(Throwable failure) {
    if (failure instanceof Response) {
      // Redis answered with an error: the link itself works
      LOG.warn("redis at {} refused a command: {}", endpoint, failure.getMessage());
      return;
    }
    if (failure instanceof TimeoutException && timeoutsInARow.incrementAndGet() < TIMEOUTS_BEFORE_DOWN) {
      return;
    }
    String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (downReason.compareAndSet(null, reason)) {
      LOG.warn("redis at {} is unavailable ({}): live state is served from this instance's memory until it returns", endpoint, reason);
      if (probing.compareAndSet(false, true)) {
        vertx.setTimer(RETRY_FIRST_MS, id -> probe(RETRY_FIRST_MS));
      }
    }
  }

  /** One PING; on failure, the next one after {@code delay}, doubling up to {@link #RETRY_MAX_MS}. */
  private Future<Void> probe(long delay) {
    if (closed) {
      return Future.succeededFuture();
    }
    return client.send(Request.cmd(Command.PING)).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .onSuccess(v -> recovered())
        .recover(failure -> {
          downReason.set(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
          long next = Math.min(delay * 2, RETRY_MAX_MS);
          vertx.setTimer(delay, id -> probe(next));
          return Future.succeededFuture();
        });
  }

  private void recovered() {
    timeoutsInARow.set(0);
    probing.set(false);
    String was = downReason.getAndSet(null);
    if (was != null) {
      LOG.info("redis at {} answers: live state is shared", endpoint);
      recoveryActions.forEach(Runnable::run);
    }
  }
}
