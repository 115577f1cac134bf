package io.codex32.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Blocking waits for test threads (never event loops), each with a deadline of {@value #TIMEOUT_SECONDS} seconds unless
 * the caller names a longer one.
 */
public final class Await {

  public static final long TIMEOUT_SECONDS = 10;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private Await() {
  }

  /** The value the future succeeded with; an assertion error if it failed or did not complete in time. */
  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /**
   * Polls {@code condition} until it holds; an assertion error naming {@code what} after
   * {@value #TIMEOUT_SECONDS} seconds.
   */
  public static void until(BooleanSupplier condition, String what) {
    until(condition, what, DEFAULT_TIMEOUT);
  }

  /**
   * {@link #until(BooleanSupplier, String)} with a longer deadline, for the few waits that
   * legitimately take longer (a child JVM starting, a cluster forming); the caller says why.
   */
  public static void until(BooleanSupplier condition, String what, Duration timeout) {
    poll(condition::getAsBoolean, Boolean::booleanValue, timeout, last -> what);
  }

  /**
   * Polls {@code probe} until its value meets {@code condition} and returns that value; an
   * assertion error naming {@code what} and the last value after {@value #TIMEOUT_SECONDS} seconds.
   */
  public static <T> T until(Supplier<T> probe, Predicate<? super T> condition, String what) {
    return until(probe, condition, what, DEFAULT_TIMEOUT);
  }

  /** {@link #until(Supplier, Predicate, String)} with a longer deadline, as above. */
  public static <T> T until(Supplier<T> probe, Predicate<? super T> condition, String what, Duration timeout) {
    return poll(probe, condition, timeout, last -> what + "; last: " + last);
  }

  private static <T> T poll(Supplier<T> probe, Predicate<? super T> condition, Duration timeout, Function<T, String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!condition.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + failure.apply(last));
      }
      LockSupport.parkNanos(POLL_NANOS);
      last = probe.get();
    }
    return last;
  }

  /** The {@link Codex32Exception} the future failed with; an assertion error if it succeeded or failed otherwise. */
  public static Codex32Exception failure(Future<?> future) {
    Throwable cause = cause(future);
    assertThat(cause).isInstanceOf(Codex32Exception.class);
    return (Codex32Exception) cause;
  }

  /** Whatever the future failed with; an assertion error if it succeeded or did not complete in time. */
  public static Throwable cause(Future<?> future) {
    Object value;
    try {
      value = future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + TIMEOUT_SECONDS + " s", e);
    }
    throw new AssertionError("expected a failure but the future succeeded with " + value);
  }
}
