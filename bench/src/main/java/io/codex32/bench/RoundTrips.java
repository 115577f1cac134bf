package io.codex32.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Sequential request/reply on one Vert.x context: the next request leaves when the previous reply
 * (or failure) has arrived, so each sample is one unloaded round trip. Runs until {@code duration}
 * has passed, {@code maxRequests} were sent or {@value #MAX_ERRORS} failed.
 */
final class RoundTrips {

  static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
  static final int MAX_ERRORS = 1000;

  /** What one run did; {@code histogram} holds round-trip times in ns. */
  record Result(Histogram histogram, long requests, long errors, long elapsedNs, String firstError) {
  }

  private final Context context;
  private final Supplier<Future<?>> request;
  private final Histogram histogram = new Histogram(HIGHEST_NS, 3);
  private final Promise<Result> done = Promise.promise();
  private long endNs;
  private long maxRequests;
  private long startNs;
  private long requests;
  private long errors;
  private String firstError;

  private RoundTrips(Context context, Supplier<Future<?>> request) {
    this.context = context;
    this.request = request;
  }

  /** Runs on {@code context}; the future completes there when the run ends. */
  static Future<Result> run(Context context, Supplier<Future<?>> request, long durationNs, long maxRequests) {
    RoundTrips loop = new RoundTrips(context, request);
    context.runOnContext(v -> {
      loop.startNs = System.nanoTime();
      loop.endNs = loop.startNs + durationNs;
      loop.maxRequests = maxRequests;
      loop.next();
    });
    return loop.done.future();
  }

  private void next() {
    long now = System.nanoTime();
    if (now >= endNs || requests >= maxRequests || errors >= MAX_ERRORS) {
      done.complete(new Result(histogram, requests, errors, now - startNs, firstError));
      return;
    }
    requests++;
    long sent = System.nanoTime();
    request.get().onComplete(reply -> {
      if (reply.succeeded()) {
        histogram.recordValue(Math.min(HIGHEST_NS, System.nanoTime() - sent));
        next();
      } else {
        errors++;
        if (firstError == null) {
          firstError = String.valueOf(reply.cause());
        }
        context.runOnContext(v -> next()); // a failure may arrive synchronously: do not recurse
      }
    });
  }
}
