package io.codex32.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Child process for the lock test: tries to open the store in {@code args[0]} and reports
 * {@code OPENED} (exit 0), {@code LOCKED <message>} (exit 3) or {@code ERROR <exception>} (exit 1).
 */
public final class LockProbeMain {

  static final int EXIT_LOCKED = 3;

  private LockProbeMain() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    int exit;
    try {
      FileDocumentStore store = FileDocumentStore.open(vertx, Path.of(args[0]))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.println("OPENED");
      store.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      exit = 0;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DataDirLockedException) {
        System.out.println("LOCKED " + e.getCause().getMessage());
        exit = EXIT_LOCKED;
      } else {
        System.out.println("ERROR " + e.getCause());
        exit = 1;
      }
    }
    System.out.flush();
    System.exit(exit);
  }
}
