package io.codex32.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * Forwards every connection made to its port to {@code 127.0.0.1:targetPort} and keeps a copy of
 * the bytes that travel towards the target: what someone on the wire between two members would see.
 */
final class TcpRelay {

  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  private final Buffer captured = Buffer.buffer();

  private TcpRelay(Vertx vertx, int targetPort) {
    this.server = vertx.createNetServer();
    this.client = vertx.createNetClient();
    this.targetPort = targetPort;
  }

  static Future<TcpRelay> start(Vertx vertx, int targetPort) {
    TcpRelay relay = new TcpRelay(vertx, targetPort);
    return relay.server.connectHandler(relay::forward).listen(0, "127.0.0.1").map(relay);
  }

  int port() {
    return server.actualPort();
  }

  /** The bytes sent towards the target so far, all connections in the order they arrived. */
  synchronized byte[] captured() {
    return captured.getBytes();
  }

  private void forward(NetSocket in) {
    in.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        in.close();
        return;
      }
      NetSocket out = connected.result();
      in.handler(bytes -> {
        record(bytes);
        out.write(bytes);
      });
      out.handler(in::write);
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    });
  }

  private synchronized void record(Buffer bytes) {
    captured.appendBuffer(bytes);
  }
}
