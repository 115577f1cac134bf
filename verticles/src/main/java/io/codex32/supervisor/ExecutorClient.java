package io.codex32.supervisor;

import io.codex32.bus.BotLogLine;
import io.codex32.bus.ExecutorRequest;
import io.vertx.core.Future;
import java.util.List;

/** How the gateway reaches the executor of a node. */
public interface ExecutorClient {

  /**
   * Delivers a start, stop, restart or remove. Succeeds with {@code true} when an executor accepted
   * it and {@code false} when the node has no executor listening (the desired state stays stored and
   * is applied when one appears); fails with the executor's error (e.g. 422 {@code command_not_allowed}).
   */
  Future<Boolean> send(String nodeId, ExecutorRequest request);

  /** The bot's newest lines, oldest first; 503 {@code node_unavailable} when no executor answers. */
  Future<List<BotLogLine>> logs(String nodeId, ExecutorRequest.Logs request);

  /** Asks the node's executor to publish every bot's status again; the number of bots it re-announced. */
  Future<Integer> report(String nodeId);
}
