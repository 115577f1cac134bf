package io.codex32.executor;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** How the gateway reaches the executor of a node. */
public interface ExecutorClient {

  /**
   * Delivers the command. Succeeds with {@code true} when an executor accepted it and {@code false}
   * when the node has no executor listening (the desired state stays stored and is applied when one
   * appears); fails with the executor's error (e.g. 422 {@code command_not_allowed}).
   */
  Future<Boolean> send(String nodeId, ExecutorCommand command);

  /** Asks the node's executor (logs); 503 {@code node_unavailable} when none answers. */
  Future<JsonObject> query(String nodeId, JsonObject request);
}
