package io.codex32.nodes;

import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.vertx.core.Future;

/**
 * How the gateway reaches the GPIO of a node. Fails with 404 for a node that never reported (or a
 * pin it does not declare), 409 for an action the pin's mode does not allow, 422 for a value out of
 * range, and 503 {@code node_unavailable} when the node is offline or does not answer in time.
 */
public interface GpioClient {

  /** The node's answer to {@code request}: {@link GpioReply.Pins} for a read-all, {@link GpioReply.Pin} otherwise. */
  Future<GpioReply> send(String nodeId, GpioRequest request);

  /**
   * Carries out an action on one pin, reading it first so the change can be audited with the state
   * before and after (a change someone else made between the two shows as part of this one).
   */
  default Future<PinChange> act(String nodeId, GpioRequest request) {
    return send(nodeId, new GpioRequest.Read(request.pin()))
        .map(before -> ((GpioReply.Pin) before).pin())
        .compose(before -> send(nodeId, request).map(after -> new PinChange(nodeId, before, (GpioReply.Pin) after)));
  }
}
