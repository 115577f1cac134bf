package io.codex32.edge;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A person on a gateway's {@code /ws/command/admin}, with the JDK's WebSocket client: sends audio
 * as a browser does (binary frames of 16 kHz s16le PCM between {@code audio_start} and
 * {@code audio_end}) and reads the frames the gateway answers with.
 */
final class CommandSocket implements WebSocket.Listener, AutoCloseable {

  /** 4096 samples: a common batch of a browser's AudioWorklet. */
  private static final int FRAME_BYTES = 8192;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private CommandSocket() {
  }

  static CommandSocket open(String base, String token) {
    CommandSocket client = new CommandSocket();
    URI uri = URI.create(base.replace("http://", "ws://") + "/ws/command/admin?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, client).join();
    return client;
  }

  /** Says {@code pcm} to be recognised on {@code node}. */
  void speak(String node, byte[] pcm) {
    send(new JsonObject().put("type", "audio_start").put("sample_rate", 16_000).put("node", node));
    for (int offset = 0; offset < pcm.length; offset += FRAME_BYTES) {
      socket.sendBinary(ByteBuffer.wrap(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + FRAME_BYTES))), true).join();
    }
    send(new JsonObject().put("type", "audio_end"));
  }

  private void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
  }

  /** The next frame, or an assertion error after {@code seconds}. */
  JsonObject next(long seconds) {
    try {
      JsonObject frame = frames.poll(seconds, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + seconds + " s");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    webSocket.request(1);
    return null;
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
