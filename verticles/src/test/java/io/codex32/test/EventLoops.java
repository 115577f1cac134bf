package io.codex32.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Event-loop contexts for concurrency tests, and a check that asynchronous results come back on the caller's context. */
public final class EventLoops {

  private EventLoops() {
  }

  /** Deploys {@code count} instances of a verticle that does nothing and returns their {@code count} distinct contexts. */
  public static List<Context> deploy(Vertx vertx, int count) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    Await.result(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count)));
    assertThat(new HashSet<>(contexts)).as("distinct event loops").hasSize(count);
    return List.copyOf(contexts);
  }

  /** Runs {@code action} on {@code context}; the result fails if the action's future completed on any other context. */
  public static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(ar -> {
      if (Vertx.currentContext() != context) {
        result.fail(new AssertionError("completed on " + Vertx.currentContext() + " instead of the caller's " + context));
      } else {
        result.handle(ar);
      }
    }));
    return result.future();
  }
}
