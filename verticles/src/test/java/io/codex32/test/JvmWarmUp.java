package io.codex32.test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first Vert.x work in a test JVM loads thousands of classes (Netty, Jackson) on event loops,
 * which the blocked-thread checker cannot tell from a blocking call. This runs that work once,
 * before the first test's own Vert.x exists, and forgets what the checker said meanwhile; every
 * test is then held to the threshold.
 */
public final class JvmWarmUp {

  private static final AtomicBoolean DONE = new AtomicBoolean();

  private JvmWarmUp() {
  }

  public static void once() {
    if (DONE.getAndSet(true)) {
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      String body = new JsonObject().put("warm", true).encode();
      int port = vertx.createHttpServer().requestHandler(req -> req.response().end(body)).listen(0, "127.0.0.1")
          .await(30, TimeUnit.SECONDS).actualPort();
      // held in a variable: Vert.x 5 closes an HttpClient that becomes unreachable ("Pool closed")
      HttpClient client = vertx.createHttpClient();
      client.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(request -> request.send().compose(response -> response.body()))
          .map(buffer -> buffer.toJsonObject())
          .await(30, TimeUnit.SECONDS);
      client.close().await(30, TimeUnit.SECONDS);
      vertx.executeBlocking(() -> new JsonObject(body).getBoolean("warm")).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed", e);
    } finally {
      vertx.close().await();
      BlockedThreadRecorder.drain();
    }
  }
}
