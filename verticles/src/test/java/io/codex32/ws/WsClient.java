package io.codex32.ws;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An independent WebSocket client (the JDK's, not Vert.x's). A slow client asks for one message
 * and then no more: the JDK client stops reading the socket, as a stalled browser tab would.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final boolean slow;
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private WsClient(boolean slow) {
    this.slow = slow;
  }

  /** Connects with the token in the sub-protocol ({@code token} may be null). */
  static WsClient withProtocol(String baseUrl, String token, boolean slow) {
    WsClient client = new WsClient(slow);
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      builder.subprotocols(WsTokens.PROTOCOL, WsTokens.BEARER_PREFIX + token);
    }
    client.socket = builder.buildAsync(URI.create(baseUrl), client).join();
    return client;
  }

  static WsClient withQuery(String baseUrl, String token) {
    WsClient client = new WsClient(false);
    client.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(baseUrl + "?token=" + token), client).join();
    return client;
  }

  /** The HTTP status of a refused upgrade; fails when the upgrade succeeds. */
  static int refusal(String url, String token) {
    try {
      withProtocol(url, token, false).close();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
    throw new AssertionError("the upgrade was accepted");
  }

  String subprotocol() {
    return socket.getSubprotocol();
  }

  void send(JsonObject message) {
    socket.sendText(message.encode(), true).join();
  }

  void sendRaw(String text) {
    socket.sendText(text, true).join();
  }

  void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  void subscribe(String... topics) {
    send(new JsonObject().put("op", "subscribe").put("topics", List.of(topics)));
  }

  /** The next message, or an assertion error after {@code seconds}. */
  JsonObject next(long seconds) {
    try {
      JsonObject message = messages.poll(seconds, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within " + seconds + " s");
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  JsonObject next() {
    return next(10);
  }

  /** The next message that is not of type {@code skipped}. */
  JsonObject nextExcept(String skipped) {
    JsonObject message = next();
    while (skipped.equals(message.getString("type"))) {
      message = next();
    }
    return message;
  }

  List<JsonObject> drain() {
    List<JsonObject> all = new ArrayList<>();
    messages.drainTo(all);
    return all;
  }

  /** Starts reading again (for a slow client). */
  void resume() {
    socket.request(Long.MAX_VALUE);
  }

  CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    if (!slow) {
      webSocket.request(1);
    }
    return null;
  }

  /** The JDK answers the ping itself; asking for more here is what a slow client does not do. */
  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    if (!slow) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
