package io.codex32.chat;

import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeView;
import io.codex32.security.Permission;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How the nodes are: one by name, or all of them. */
final class NodeIntents {

  private final NodeRegistry nodes;
  private final Names names;
  private final Permits permits;

  NodeIntents(NodeRegistry nodes, Names names, Permits permits) {
    this.nodes = nodes;
    this.names = names;
    this.permits = permits;
  }

  Map<String, IntentHandler> handlers() {
    return Map.of("node_status", this::status);
  }

  private Future<ChatReply> status(Turn turn) {
    Future<Void> allowed = permits.read(turn, Permission.BOTS_READ, "read nodes");
    if (turn.slot("node") == null) {
      return allowed.map(v -> all(turn));
    }
    return allowed.compose(v -> NameResolution.resolve(turn, "node", Names.NODE, Future.succeededFuture(names.nodes())))
        .compose(named -> nodes.get(named.id()))
        .map(node -> ChatReply.say(describe(node), turn.intent(), turn.match().slots(), node.toJson()));
  }

  private ChatReply all(Turn turn) {
    List<NodeView> all = nodes.list();
    String text = all.isEmpty() ? "No node has reported yet."
        : all.size() + (all.size() == 1 ? " node: " : " nodes: ")
            + all.stream().map(n -> n.id() + " (" + (n.online() ? "online" : "offline") + ")").collect(Collectors.joining(", ")) + ".";
    return ChatReply.say(text, turn.intent(), turn.match().slots(),
        new JsonObject().put("nodes", new JsonArray(all.stream().map(NodeView::toJson).toList())));
  }

  private static String describe(NodeView node) {
    if (!node.online()) {
      return "Node " + node.id() + " is offline; last heard of at " + node.lastSeen() + ".";
    }
    return String.format(Locale.ROOT, "Node %s is online: %.0f%% CPU, %d of %d MB memory used, %d bots.", node.id(),
        node.heartbeat().cpuPercent(), node.heartbeat().memoryUsedMb(), node.heartbeat().memoryMb(), node.heartbeat().bots());
  }
}
