package io.codex32.runtime;

import io.codex32.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process around a runtime, the same for the gateway and an edge node: its logging set-up, its
 * configuration, its start and its end. A failure prints one line and exits with the code
 * {@link ExitCodes} gives it; once started, a shutdown hook closes the runtime, then Vert.x.
 */
public final class NodeProcess {

  private static final long START_WAIT_S = 120;
  private static final long SHUTDOWN_WAIT_S = 30;

  private final String program;

  /**
   * {@code program} starts every line printed on failure ("codex32"); {@code logback} is the
   * logging configuration used unless {@code -Dlogback.configurationFile} names one.
   */
  public NodeProcess(String program, String logback) {
    this.program = program;
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", logback);
    }
  }

  /** The configuration {@code load} returns; a bad one ends the process (2) with one line naming the key. */
  public <C> C config(Supplier<C> load) {
    try {
      return load.get();
    } catch (ConfigException e) {
      throw exit(ExitCodes.report(program, "configuration error", e));
    }
  }

  /** The Vert.x {@code vertx} completes with; a failure ends the process, {@code doing} says what failed. */
  public Vertx vertx(String doing, Supplier<Future<Vertx>> vertx) {
    try {
      return vertx.get().await(START_WAIT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      log().error(doing, e);
      throw exit(ExitCodes.report(program, doing, e));
    }
  }

  /**
   * Starts the runtime on {@code vertx} and, once it runs, registers the shutdown hook that ends it
   * with {@code close}. A failure closes Vert.x and ends the process.
   */
  public <R> R start(Vertx vertx, Function<Vertx, Future<R>> start, Function<R, Future<Void>> close) {
    R runtime;
    try {
      runtime = start.apply(vertx).await(START_WAIT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      int code = ExitCodes.report(program, "failed to start", e);
      if (code == ExitCodes.FAILED) {
        log().error("{} failed to start", program, e);
      }
      vertx.close();
      throw exit(code);
    }
    // waited for, within bounds: bots keep running, and a clustered process leaves the cluster at once instead of looking crashed
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close.apply(runtime).transform(v -> vertx.close())
        .toCompletionStage().toCompletableFuture().completeOnTimeout(null, SHUTDOWN_WAIT_S, TimeUnit.SECONDS).join(),
        "codex32-shutdown"));
    return runtime;
  }

  /** Created on first use, after the logging configuration is chosen. */
  private static Logger log() {
    return LoggerFactory.getLogger(NodeProcess.class);
  }

  /** Exits; the returned error is never thrown, it only tells the compiler the caller does not go on. */
  private static Error exit(int code) {
    System.exit(code);
    return new AssertionError("exited with " + code);
  }
}
