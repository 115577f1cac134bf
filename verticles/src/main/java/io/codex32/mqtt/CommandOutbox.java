package io.codex32.mqtt;

import io.codex32.devices.DeviceCommand;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands on their way to one connected device, on the connection's event loop. Each goes out as
 * a QoS 1 PUBLISH with a packet id of our own, so that it can be sent again under the same id, and
 * stays in flight until its PUBACK. At most {@code window} are in flight (an MQTT 5 client's
 * receive maximum, {@code mqtt.receive_maximum} for 3.1.1); the rest wait their turn, and a command
 * that expires while waiting is not sent.
 *
 * <p>Re-sending: MQTT 3.1.1 allows it within a connection, so a PUBLISH still unacknowledged after
 * {@code retryMs} goes again with DUP set, {@value #MAX_SENDS} times in all, unless the command has
 * expired meanwhile. MQTT 5 allows it only on a new connection of a resumed session (4.4): that
 * connection offers the command with the packet id recorded in the session, and it goes out with DUP.
 */
final class CommandOutbox {

  static final int MAX_SENDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(CommandOutbox.class);
  /** Command ids acknowledged lately, so that a command offered again right after its PUBACK is not sent twice. */
  private static final int RECENTLY_DONE = 256;

  private record InFlight(DeviceCommand command, int packetId, int sends) {
  }

  private record Waiting(DeviceCommand command, Integer packetId) {
  }

  private final Vertx vertx;
  private final MqttEndpoint endpoint;
  private final Clock clock;
  private final int window;
  private final long retryMs;
  private final Runnable onChange;
  private final Map<Integer, InFlight> inflight = new LinkedHashMap<>();
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  /** Packet ids in flight or kept by a waiting command: never handed out to another. */
  private final Set<Integer> reserved = new HashSet<>();
  /** Command ids in flight or waiting. */
  private final Set<String> pending = new HashSet<>();
  private final Set<String> done = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RECENTLY_DONE;
    }
  });
  private final Map<Integer, Long> timers = new HashMap<>();
  private int lastPacketId;
  private boolean closed;

  /**
   * {@code retryMs} 0 never re-sends within the connection (MQTT 5, or re-sending turned off);
   * {@code onChange} runs whenever the set of unacknowledged packet ids changed.
   */
  CommandOutbox(Vertx vertx, MqttEndpoint endpoint, Clock clock, int window, long retryMs, Runnable onChange) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.clock = clock;
    this.window = window;
    this.retryMs = retryMs;
    this.onChange = onChange;
  }

  /**
   * Sends the command unless it is already under way or was just acknowledged here. {@code packetId}
   * non-null: an earlier connection of the session sent it under that id, so it goes again under it, with DUP.
   */
  void offer(DeviceCommand command, Integer packetId) {
    if (closed || pending.contains(command.id()) || done.contains(command.id())) {
      return;
    }
    // a command of this connection got that id first: the old PUBLISH is then simply sent anew
    Integer earlierId = packetId != null && reserved.add(packetId) ? packetId : null;
    pending.add(command.id());
    waiting.addLast(new Waiting(command, earlierId));
    pump();
  }

  /** The command a PUBACK acknowledges, or null when none is in flight under that id. */
  DeviceCommand acknowledged(int packetId) {
    InFlight acked = inflight.remove(packetId);
    if (acked == null) {
      return null;
    }
    cancelTimer(packetId);
    reserved.remove(packetId);
    pending.remove(acked.command().id());
    done.add(acked.command().id());
    onChange.run();
    pump();
    return acked.command();
  }

  /** Command id → packet id of every command sent and not acknowledged, as a resumed session needs them. */
  Map<String, Integer> unacknowledged() {
    Map<String, Integer> ids = new LinkedHashMap<>();
    inflight.values().forEach(f -> ids.put(f.command().id(), f.packetId()));
    waiting.stream().filter(w -> w.packetId() != null).forEach(w -> ids.put(w.command().id(), w.packetId()));
    return ids;
  }

  void close() {
    closed = true;
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void pump() {
    boolean sent = false;
    while (!closed && inflight.size() < window && !waiting.isEmpty()) {
      Waiting next = waiting.removeFirst();
      if (!next.command().pendingAt(clock.instant())) {
        forget(next.command().id(), next.packetId());
        LOG.debug("command {} expired before it was sent", next.command().id());
        continue;
      }
      boolean dup = next.packetId() != null;
      int packetId = dup ? next.packetId() : freePacketId();
      reserved.add(packetId);
      inflight.put(packetId, new InFlight(next.command(), packetId, 1));
      publish(next.command(), packetId, dup);
      arm(packetId);
      sent = true;
    }
    if (sent) {
      onChange.run();
    }
  }

  private void retry(int packetId) {
    timers.remove(packetId);
    InFlight flight = inflight.get(packetId);
    if (closed || flight == null) {
      return;
    }
    if (!flight.command().pendingAt(clock.instant())) {
      // expired: never sent again; its slot goes to the next command (3.1.1 has no receive quota to honour)
      inflight.remove(packetId);
      forget(flight.command().id(), packetId);
      onChange.run();
      pump();
      return;
    }
    LOG.debug("command {} not acknowledged after {} ms: sending it again (DUP)", flight.command().id(), retryMs);
    publish(flight.command(), packetId, true);
    InFlight again = new InFlight(flight.command(), packetId, flight.sends() + 1);
    inflight.put(packetId, again);
    if (again.sends() < MAX_SENDS) {
      arm(packetId);
    }
  }

  private void arm(int packetId) {
    if (retryMs > 0) {
      timers.put(packetId, vertx.setTimer(retryMs, timer -> retry(packetId)));
    }
  }

  private void cancelTimer(int packetId) {
    Long timer = timers.remove(packetId);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void forget(String commandId, Integer packetId) {
    pending.remove(commandId);
    if (packetId != null) {
      reserved.remove(packetId);
    }
  }

  /** The next packet id (1–65535, cycling) not in use; the window keeps far fewer than 65535 in use. */
  private int freePacketId() {
    do {
      lastPacketId = lastPacketId % 65535 + 1;
    } while (reserved.contains(lastPacketId));
    return lastPacketId;
  }

  private void publish(DeviceCommand command, int packetId, boolean dup) {
    Object payload = command.payload();
    Buffer bytes = payload instanceof String text ? Buffer.buffer(text) : Buffer.buffer(Json.encode(payload));
    endpoint.publish(command.topic(), bytes, MqttQoS.AT_LEAST_ONCE, dup, false, packetId)
        .onFailure(e -> LOG.debug("command {} not written: {}", command.id(), e.toString()));
  }
}
