package io.codex32.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event-bus consumer per address per verticle instance, registered when the first connection
 * of this instance subscribes and unregistered when the last one leaves, so the bus does the same
 * work for one subscriber as for a thousand. Touched only on the instance's event loop.
 */
final class Fanout {

  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final Vertx vertx;
  private final Map<String, Channel> channels = new HashMap<>();

  Fanout(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes when the address's consumer is registered, so events published after that reach {@code connection}. */
  Future<Void> join(String address, WsConnection connection) {
    Channel channel = channels.computeIfAbsent(address, this::open);
    channel.add(connection);
    return channel.ready;
  }

  void leave(String address, WsConnection connection) {
    Channel channel = channels.get(address);
    if (channel == null) {
      return;
    }
    channel.remove(connection);
    if (channel.isEmpty()) {
      channels.remove(address);
      channel.consumer.unregister();
    }
  }

  private Channel open(String address) {
    Channel channel = new Channel();
    channel.consumer = vertx.eventBus().consumer(address, message -> deliver(channel, address, message.body()));
    channel.ready = channel.consumer.completion();
    return channel;
  }

  private static void deliver(Channel channel, String address, Object body) {
    List<BusEvent> events = BusEvent.from(address, body);
    if (events.isEmpty()) {
      return;
    }
    // a snapshot: delivering can close a connection, which leaves the channel
    for (WsConnection connection : channel.snapshot()) {
      try {
        events.forEach(connection::deliver);
      } catch (RuntimeException e) {
        // one broken connection must not cost the others this event
        LOG.warn("could not deliver to a WebSocket connection: {}", e.toString());
      }
    }
  }

  private static final class Channel {
    private final Set<WsConnection> members = new LinkedHashSet<>();
    private List<WsConnection> snapshot = List.of();
    private MessageConsumer<Object> consumer;
    private Future<Void> ready;

    void add(WsConnection connection) {
      if (members.add(connection)) {
        snapshot = List.copyOf(members);
      }
    }

    void remove(WsConnection connection) {
      if (members.remove(connection)) {
        snapshot = List.copyOf(members);
      }
    }

    boolean isEmpty() {
      return members.isEmpty();
    }

    List<WsConnection> snapshot() {
      return snapshot;
    }
  }
}
