package io.codex32.executor;

import io.vertx.core.Future;

/** How the gateway reaches the executor of a node. */
public interface ExecutorClient {

  /**
   * Delivers the command. Succeeds with {@code true} when an executor accepted it and {@code false}
   * when the node has no executor listening (the desired state stays stored and is applied when one
   * appears); fails when the executor refused it.
   */
  Future<Boolean> send(String nodeId, ExecutorCommand command);
}
