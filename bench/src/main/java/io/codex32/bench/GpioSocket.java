package io.codex32.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /ws/events} client of {@link GpioBench} subscribed to one node's GPIO topic, waiting for
 * one change at a time: {@link #expect} arms it for a pin and value, and the matching {@code gpio}
 * frame completes the returned future with {@link System#nanoTime()} on the client's event loop.
 * Frames that match nothing armed (late ones after a time-out) are counted, as is the largest
 * {@code dropped} a frame reported (changes the node's rate limit held back).
 */
final class GpioSocket {

  private static final String PROTOCOL = "codex32.v1";
  private static final String BEARER = "codex32.bearer.";

  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private volatile Expected expected;
  private volatile long unexpected;
  private volatile long maxDropped;
  /** The close code and reason when the socket closed before the harness closed it. */
  private volatile String closedBy;
  private WebSocketClient client;
  private WebSocket ws;

  private record Expected(String pin, String value, CompletableFuture<Long> arrival) {
  }

  /** Connects with {@code token} and subscribes to {@code gpio/<node>}; returns once the server confirmed. */
  static GpioSocket open(Vertx vertx, int port, String token, String node) throws Exception {
    GpioSocket socket = new GpioSocket();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(ClosedLoop.HOST).setPort(port).setURI("/ws/events")
        .setSubProtocols(List.of(PROTOCOL, BEARER + token));
    // held for as long as the socket: Vert.x closes a client nothing references (and its sockets, with 1000) once it is collected
    socket.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000));
    socket.ws = socket.client.connect(options).await(30, TimeUnit.SECONDS);
    socket.ws.textMessageHandler(socket::onText);
    socket.ws.closeHandler(v -> socket.closedBy = socket.ws.closeStatusCode() + " " + socket.ws.closeReason());
    socket.ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("topics", new JsonArray().add("gpio/" + node)).encode());
    socket.subscribed.get(30, TimeUnit.SECONDS);
    return socket;
  }

  /** The next frame for {@code pin} with {@code value} completes the returned future with its arrival time. */
  CompletableFuture<Long> expect(String pin, String value) {
    Expected next = new Expected(pin, value, new CompletableFuture<>());
    expected = next;
    return next.arrival();
  }

  private void onText(String text) {
    long now = System.nanoTime();
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type", "");
    if ("subscribed".equals(type)) {
      subscribed.complete(null);
      return;
    }
    if (!"gpio".equals(type)) {
      return;
    }
    JsonObject data = frame.getJsonObject("data");
    maxDropped = Math.max(maxDropped, data.getLong("dropped", 0L));
    Expected waiting = expected;
    if (waiting != null && waiting.pin().equals(data.getString("pin")) && waiting.value().equals(data.getString("value"))
        && waiting.arrival().complete(now)) {
      return;
    }
    unexpected++;
  }

  long unexpected() {
    return unexpected;
  }

  long maxDropped() {
    return maxDropped;
  }

  /** The close code and reason if the socket closed before {@link #close}, else null. */
  String closedBy() {
    return closedBy;
  }

  void close() throws Exception {
    ws.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
