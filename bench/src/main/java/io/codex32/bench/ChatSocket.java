package io.codex32.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /ws/command/{user}} client of {@link VoiceBench}: every text frame the server sends is
 * queued with the {@link System#nanoTime()} at which the client's handler saw it, and the harness
 * takes them in order with a deadline ({@link #await}). Writes go straight to the socket (Vert.x
 * hands them to the socket's event loop).
 */
final class ChatSocket {

  private static final String PROTOCOL = "codex32.v1";
  private static final String BEARER = "codex32.bearer.";

  /** A server frame and when it arrived. */
  record Frame(long at, JsonObject json) {

    String type() {
      return json.getString("type", "");
    }
  }

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private volatile String closedBy;
  private WebSocketClient client;
  private WebSocket ws;
  /** The earliest {@link System#nanoTime()} the next text frames may be sent at (the socket's rate limit). */
  long nextAllowed;

  static ChatSocket open(Vertx vertx, int port, String token, String user) throws Exception {
    ChatSocket socket = new ChatSocket();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(ClosedLoop.HOST).setPort(port)
        .setURI("/ws/command/" + user).setSubProtocols(List.of(PROTOCOL, BEARER + token));
    // held for as long as the socket: Vert.x closes a client nothing references once it is collected
    socket.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000));
    socket.ws = socket.client.connect(options).await(30, TimeUnit.SECONDS);
    socket.ws.textMessageHandler(text -> socket.frames.add(new Frame(System.nanoTime(), new JsonObject(text))));
    socket.ws.closeHandler(v -> socket.closedBy = socket.ws.closeStatusCode() + " " + socket.ws.closeReason());
    return socket;
  }

  /** Sends a text frame; returns the {@link System#nanoTime()} just before it was handed to the socket. */
  long send(JsonObject frame) {
    long at = System.nanoTime();
    ws.writeTextMessage(frame.encode());
    return at;
  }

  long sendBinary(byte[] pcm) {
    long at = System.nanoTime();
    ws.writeBinaryMessage(Buffer.buffer(pcm));
    return at;
  }

  /**
   * The next frame of {@code type}, skipping {@code partial} frames; fails on an {@code error} frame,
   * on a frame of another type and when none came within {@code timeoutMs}.
   */
  Frame await(String type, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      Frame frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new IllegalStateException("no '" + type + "' frame within " + timeoutMs + " ms"
            + (closedBy == null ? "" : "; the socket closed: " + closedBy));
      }
      if (frame.type().equals(type)) {
        return frame;
      }
      if (!"partial".equals(frame.type())) {
        throw new IllegalStateException("expected a '" + type + "' frame, got " + frame.json().encode());
      }
    }
  }

  /** Frames received and not taken yet (must be none between operations). */
  int pending() {
    return frames.size();
  }

  void close() throws Exception {
    ws.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
