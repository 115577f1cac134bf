package io.codex32.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Blocking waits for test threads (never event loops), each with a deadline of {@value #TIMEOUT_SECONDS} seconds. */
public final class Await {

  public static final long TIMEOUT_SECONDS = 10;

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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + TIMEOUT_SECONDS + " s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
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
