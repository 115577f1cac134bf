package io.codex32.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The closed-loop HTTP driver of {@link LoadGenerator} and {@link LiveStateBench}: a fresh
 * {@link WebClient} with exactly {@code connections} keep-alive HTTP/1.1 connections (no
 * pipelining), each sending its next request as soon as the previous response has been read. A
 * warm-up is followed by a measured phase; only requests sent and answered within the measured
 * phase enter the histogram. A failed request, or a status {@code ok} rejects, in any phase is an
 * error. The run ends with its phases or after {@code maxRequests}, whichever comes first.
 */
final class ClosedLoop {

  static final String HOST = "127.0.0.1";
  static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
  static final long REQUEST_TIMEOUT_MS = 10_000;
  private static final int MAX_ERROR_SAMPLES = 5;

  /**
   * What a run saw; {@code cpuBefore} and {@code cpuAfter} are what the caller's CPU probe read at
   * the start and at the end of the measured phase.
   */
  record Outcome(long measured, long total, long errors, boolean capped, Histogram histogram, List<String> errorSamples,
                 long[] cpuBefore, long[] cpuAfter) {
  }

  /** Sends request number {@code n} of a connection (connection i counts i, i + 1, ...) with the given client. */
  @FunctionalInterface
  interface Request {
    Future<HttpResponse<Buffer>> send(WebClient client, int n);
  }

  private ClosedLoop() {
  }

  static Outcome run(Vertx vertx, int port, int connections, int warmupS, int durationS, long maxRequests, Request request,
                     IntPredicate ok, Supplier<long[]> cpu) throws InterruptedException {
    WebClient client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost(HOST).setDefaultPort(port).setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    AtomicLong measured = new AtomicLong();
    AtomicLong total = new AtomicLong();
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<String> errorSamples = new ArrayList<>();
    long start = System.nanoTime();
    long warmEnd = start + TimeUnit.SECONDS.toNanos(warmupS);
    long measureEnd = warmEnd + TimeUnit.SECONDS.toNanos(durationS);
    CountDownLatch done = new CountDownLatch(connections);
    boolean[] capped = new boolean[1];

    class Loop {
      private int n;

      void next() {
        long sent = System.nanoTime();
        if (sent >= measureEnd) {
          done.countDown();
          return;
        }
        if (issued.incrementAndGet() > maxRequests) {
          capped[0] = true;
          done.countDown();
          return;
        }
        request.send(client, n++).onComplete(ar -> {
          long received = System.nanoTime();
          total.incrementAndGet();
          if (ar.failed() || !ok.test(ar.result().statusCode())) {
            errors.incrementAndGet();
            synchronized (errorSamples) {
              if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                errorSamples.add(ar.succeeded()
                    ? ar.result().statusCode() + " " + truncate(ar.result().bodyAsString())
                    : ar.cause().toString());
              }
            }
          }
          if (sent >= warmEnd && received <= measureEnd) {
            measured.incrementAndGet();
            synchronized (histogram) {
              histogram.recordValue(Math.min(received - sent, HIGHEST_NANOS));
            }
          }
          next();
        });
      }
    }

    for (int i = 0; i < connections; i++) {
      Loop loop = new Loop();
      loop.n = i;
      vertx.runOnContext(v -> loop.next());
    }
    sleepUntil(warmEnd);
    long[] before = cpu.get();
    sleepUntil(measureEnd);
    long[] after = cpu.get();
    if (!done.await(REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)) {
      errors.addAndGet(done.getCount());
      synchronized (errorSamples) {
        errorSamples.add(done.getCount() + " connection(s) still waiting for a response after the measured phase");
      }
    }
    client.close();
    return new Outcome(measured.get(), total.get(), errors.get(), capped[0], histogram, errorSamples, before, after);
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
