package io.codex32.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reference for the event-bus round trip: raw Vert.x NetSockets between two processes on
 * loopback, frames of a 4-byte length and a JSON body (the event bus frames its messages the same
 * way). The server parses each request as JSON and answers the executor's summary reply,
 * {@code {"bots":0}}; the client sends the executor's request, {@code {"action":"summary"}}.
 */
final class PingPong {

  static final JsonObject REQUEST = new JsonObject().put("action", "summary");
  static final JsonObject REPLY = new JsonObject().put("bots", 0);

  private PingPong() {
  }

  static Buffer frame(JsonObject body) {
    Buffer json = body.toBuffer();
    return Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json);
  }

  /** Calls {@code onBody} with each frame's body read from {@code socket}. */
  static void readFrames(NetSocket socket, Consumer<Buffer> onBody) {
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] header = {true};
    parser.handler(chunk -> {
      if (header[0]) {
        parser.fixedSizeMode(chunk.getInt(0));
        header[0] = false;
      } else {
        parser.fixedSizeMode(4);
        header[0] = true;
        onBody.accept(chunk);
      }
    });
    socket.handler(parser);
  }

  /** Listens on 127.0.0.1, any free port; answers every request frame with the reply frame. */
  static Future<NetServer> serve(Vertx vertx) {
    return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
        .connectHandler(socket -> readFrames(socket, body -> {
          body.toJsonObject(); // parsed like the executor parses its command
          socket.write(frame(REPLY));
        }))
        .listen();
  }

  /** One connection to the server; {@link #request()} sends a request frame, completing when its reply arrives. */
  static final class Client {
    private final NetSocket socket;
    private final Buffer request = frame(REQUEST);
    private Promise<JsonObject> pending;

    private Client(NetSocket socket) {
      this.socket = socket;
      readFrames(socket, body -> {
        Promise<JsonObject> waiting = pending;
        pending = null;
        if (waiting != null) {
          waiting.complete(body.toJsonObject());
        }
      });
    }

    /** Connects from the caller's context (call it on the context that will send the requests). */
    static Future<Client> connect(Vertx vertx, int port) {
      return vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000))
          .connect(port, "127.0.0.1")
          .map(Client::new);
    }

    /** Fails after 5 s without a reply, like the event-bus requests it is compared with, rather than stalling the run. */
    Future<JsonObject> request() {
      Promise<JsonObject> waiting = Promise.promise();
      pending = waiting;
      socket.write(request);
      return waiting.future().timeout(5, TimeUnit.SECONDS).onFailure(failure -> {
        if (pending == waiting) {
          pending = null;
        }
      });
    }
  }
}
