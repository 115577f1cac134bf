package io.codex32.http;

import io.codex32.bus.Contract;
import io.codex32.bus.MicrophoneReply;
import io.codex32.bus.MicrophoneRequest;
import io.codex32.nodes.MicrophoneClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * A node's local microphone through the API: its status ({@code bots_read}) and a remote press and
 * release of its push-to-talk button ({@code bots_control}; what is said is acted on as the
 * microphone's configured user, see docs/api.md).
 */
final class MicrophoneOperations {

  private final MicrophoneClient microphones;

  MicrophoneOperations(MicrophoneClient microphones) {
    this.microphones = microphones;
  }

  Map<String, Function<ApiCall, Future<ApiResult>>> all() {
    return Map.of(
        "getNodeMicrophone", call -> send(call.path("id"), new MicrophoneRequest.Status()),
        "setNodeMicrophone", call -> send(call.path("id"),
            MicrophoneRequest.of(MicrophoneRequest.Action.parse(call.body().getString("action")))));
  }

  private Future<ApiResult> send(String node, MicrophoneRequest request) {
    return microphones.send(node, request).map(reply -> ApiResult.ok(json(node, reply)));
  }

  private static JsonObject json(String node, MicrophoneReply reply) {
    return Contract.withoutVersion(reply.toJson()).put("node", node);
  }
}
