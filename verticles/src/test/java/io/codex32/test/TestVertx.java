package io.codex32.test;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/** Vert.x instances for tests, with a tight blocked-thread threshold that {@link EventLoopGuard} turns into failures. */
public final class TestVertx {

  /** Maximum event-loop execution time before Vert.x warns; set by the build (-Dcodex32.test.maxEventLoopMs). */
  public static final long MAX_EVENT_LOOP_MS = Long.getLong("codex32.test.maxEventLoopMs", 200);

  private TestVertx() {
  }

  public static VertxOptions options() {
    return new VertxOptions()
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(50)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(MAX_EVENT_LOOP_MS)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setMaxWorkerExecuteTime(60)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
  }

  public static Vertx create() {
    JvmWarmUp.once();
    return Vertx.vertx(options());
  }
}
