package io.codex32.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Child process for the kill -9 test: opens the store in {@code args[0]} and inserts documents
 * {@code <args[1]>-0, -1, ...} into collection {@value #COLLECTION} forever, several in flight, printing
 * {@code ACK <id>} only once a write's future has succeeded.
 */
public final class AckingWriterMain {

  static final String COLLECTION = "acks";
  private static final int IN_FLIGHT = 16;

  private AckingWriterMain() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FileDocumentStore store = FileDocumentStore.open(vertx, Path.of(args[0]))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (long n = 0; ; n++) {
      inFlight.acquire();
      String id = args[1] + "-" + n;
      store.insert(COLLECTION, id, new JsonObject().put("n", n).put("pad", "x".repeat(100))).onComplete(ar -> {
        System.out.println(ar.succeeded() ? "ACK " + id : "FAIL " + id + " " + ar.cause());
        System.out.flush();
        inFlight.release();
      });
    }
  }
}
