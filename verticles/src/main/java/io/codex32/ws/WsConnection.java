package io.codex32.ws;

import io.codex32.config.WsConfig;
import io.codex32.security.AuthService;
import io.codex32.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of {@code /ws/events}: its subscriptions, its bounded outbound queue, keep-alive and
 * the periodic token re-check. Everything runs on the event loop that accepted the socket, which
 * is also the one its {@link Fanout} delivers on, so there is no locking and nothing here blocks:
 * a client that does not read only fills its own queue.
 */
final class WsConnection {

  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

  private final ServerWebSocket ws;
  private final WsConfig config;
  private final Fanout fanout;
  private final Runnable onClosed;
  private final OutboundQueue queue;
  /** Subscribed topic name → topic, in subscription order. */
  private final Map<String, Topic> subscriptions = new LinkedHashMap<>();
  private Principal principal;
  private long seq;
  /** When the queue began to overflow without draining since; 0 when it is not overflowing. */
  private long overflowingSince;
  private final SocketLiveness liveness;
  private boolean closed;

  WsConnection(Vertx vertx, ServerWebSocket ws, Principal principal, String token, AuthService auth, WsConfig config, Fanout fanout,
      Runnable onClosed) {
    this.ws = ws;
    this.principal = principal;
    this.config = config;
    this.fanout = fanout;
    this.onClosed = onClosed;
    this.queue = new OutboundQueue(config.maxQueuedMessages());
    this.liveness = new SocketLiveness(vertx, ws, token, auth, config, this::close, this::rechecked,
        () -> closeIfTooSlow(System.currentTimeMillis()));
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> sendError("unsupported_frame", "send JSON text frames", null));
    ws.pongHandler(pong -> liveness.heard());
    ws.drainHandler(v -> flush());
    ws.exceptionHandler(this::onSocketError);
    ws.closeHandler(v -> release());
    if (ws.isClosed()) {
      // the client left between the handshake and now: the close handler will not run again
      release();
      return;
    }
    liveness.start();
  }

  // ---- client → server ------------------------------------------------------------------------

  /**
   * Vert.x reports a message over the size limit as an IllegalStateException and keeps the socket
   * open; the client must learn that its frame went nowhere, so close as RFC 6455 says (1009).
   * Other errors (resets) are followed by the close handler.
   */
  private void onSocketError(Throwable error) {
    LOG.debug("websocket of {}: {}", principal.subject(), error.toString());
    if (error instanceof IllegalStateException) {
      close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }
  }

  private void onText(String text) {
    liveness.heard();
    ClientMessage message;
    try {
      message = ClientMessage.parse(text);
    } catch (ClientMessage.Invalid e) {
      sendError(e.code(), e.getMessage(), null);
      return;
    }
    switch (message.op()) {
      case "subscribe" -> subscribe(message.topics());
      case "unsubscribe" -> unsubscribe(message.topics());
      // "ping", the only other op parse() lets through
      default -> send(new JsonObject().put("type", "pong").put("timestamp", Instant.now().toString()).encode());
    }
  }

  private void subscribe(List<String> names) {
    List<String> accepted = new ArrayList<>();
    List<Future<Void>> joins = new ArrayList<>();
    for (String name : names) {
      Topic topic = Topic.parse(name);
      if (topic == null) {
        sendError("unknown_topic", "no such topic: " + name + " (bots, bots/<id>, logs/<botId>, nodes, devices/<id>/telemetry, workflows)",
            name);
      } else if (!principal.can(topic.permission())) {
        sendError("forbidden", "role '" + principal.role().wireName() + "' may not read " + name + " (needs "
            + topic.permission().wireName() + ")", name);
      } else if (subscriptions.containsKey(name)) {
        accepted.add(name);
      } else if (subscriptions.size() >= config.maxSubscriptions()) {
        sendError("too_many_subscriptions", "at most " + config.maxSubscriptions() + " topics per connection", name);
      } else {
        subscriptions.put(name, topic);
        joins.add(fanout.join(topic.address(), this));
        accepted.add(name);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    // acknowledged once the consumers are registered: from then on no published event is missed
    Future.all(joins).onComplete(done -> {
      if (done.failed()) {
        LOG.warn("could not subscribe {} to {}: {}", principal.subject(), accepted, done.cause().toString());
        sendError("unavailable", "could not subscribe; try again", null);
        return;
      }
      send(new JsonObject().put("type", "subscribed").put("topics", new JsonArray(accepted)).encode());
    });
  }

  private void unsubscribe(List<String> names) {
    List<String> removed = new ArrayList<>();
    for (String name : names) {
      Topic topic = subscriptions.remove(name);
      if (topic != null) {
        removed.add(name);
        leaveIfUnused(topic.address());
      }
    }
    send(new JsonObject().put("type", "unsubscribed").put("topics", new JsonArray(removed)).encode());
  }

  /** Several topics share an address ({@code bots}, {@code bots/a}): leave it only with the last of them. */
  private void leaveIfUnused(String address) {
    if (subscriptions.values().stream().noneMatch(t -> t.address().equals(address))) {
      fanout.leave(address, this);
    }
  }

  // ---- server → client ------------------------------------------------------------------------

  void deliver(BusEvent event) {
    if (!closed && event.matches(subscriptions.keySet())) {
      send(event.frame(++seq));
    }
  }

  private void sendError(String code, String message, String topic) {
    JsonObject error = new JsonObject().put("type", "error").put("code", code).put("message", message);
    if (topic != null) {
      error.put("topic", topic);
    }
    send(error.encode());
  }

  /**
   * Closed by us, or closing from the other side: Vert.x refuses writes as soon as the close
   * handshake begins, before our close handler has run.
   */
  private boolean gone() {
    return closed || ws.isClosed();
  }

  /** Writes now if the socket takes it, otherwise queues (dropping the oldest when full). Never waits. */
  private void send(String text) {
    if (gone()) {
      return;
    }
    if (queue.isEmpty() && !queue.hasDropped() && !ws.writeQueueFull()) {
      ws.writeTextMessage(text);
      return;
    }
    if (queue.offer(text)) {
      overflowed();
    }
    if (!gone() && !ws.writeQueueFull()) {
      flush();
    }
  }

  /** Called when the socket can take more: first the count of what was lost, then the queue, oldest first. */
  private void flush() {
    while (!gone() && !ws.writeQueueFull()) {
      if (queue.hasDropped()) {
        ws.writeTextMessage(new JsonObject().put("type", "dropped").put("count", queue.takeDropped())
            .put("timestamp", Instant.now().toString()).encode());
        continue;
      }
      String next = queue.poll();
      if (next == null) {
        break;
      }
      ws.writeTextMessage(next);
    }
    if (queue.isEmpty() && !queue.hasDropped()) {
      overflowingSince = 0;
    }
  }

  private void overflowed() {
    long now = System.currentTimeMillis();
    if (overflowingSince == 0) {
      overflowingSince = now;
    }
    closeIfTooSlow(now);
  }

  private void closeIfTooSlow(long now) {
    if (overflowingSince != 0 && now - overflowingSince > config.slowConsumerCloseMs()) {
      LOG.info("closing the websocket of {}: it has not kept up for {} ms", principal.subject(), now - overflowingSince);
      close(CloseCodes.TOO_SLOW, "too slow");
    }
  }

  // ---- liveness and authorization -------------------------------------------------------------

  /** The role may have changed since the last check: topics it may no longer read are dropped. */
  private void rechecked(Principal fresh) {
    principal = fresh;
    List<String> forbidden = subscriptions.entrySet().stream().filter(e -> !principal.can(e.getValue().permission()))
        .map(Map.Entry::getKey).toList();
    forbidden.forEach(name -> sendError("forbidden", "role '" + principal.role().wireName() + "' may no longer read " + name, name));
    if (!forbidden.isEmpty()) {
      unsubscribe(forbidden);
    }
  }

  private void close(short code, String reason) {
    if (closed) {
      return;
    }
    release();
    // the close frame queues behind whatever the socket still holds; Vert.x ends the TCP connection
    // if the client does not answer it in time
    ws.close(code, reason);
  }

  /** Stops everything this connection holds; idempotent (close() and the close handler both get here). */
  private void release() {
    if (closed) {
      return;
    }
    closed = true;
    liveness.stop();
    subscriptions.values().stream().map(Topic::address).distinct().forEach(address -> fanout.leave(address, this));
    subscriptions.clear();
    queue.clear();
    onClosed.run();
  }
}
