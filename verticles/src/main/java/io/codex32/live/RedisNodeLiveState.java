package io.codex32.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Node live state shared through Redis: {@code <prefix>node:<id>} is a hash of the node's fields
 * (JSON-encoded values) that expires after the ttl of its last update, and {@code <prefix>nodes}
 * the set of ids, pruned of expired nodes when listed. Falls back to and writes back from this
 * instance's memory like {@link RedisBotLiveState}.
 */
public final class RedisNodeLiveState implements NodeLiveState {

  /** KEYS[1] node hash, KEYS[2] id set; ARGV[1] node id, ARGV[2] ttl ms, then field/value pairs ('' deletes). */
  private static final String PUT_NODE = """
      for i = 3, #ARGV, 2 do
        if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      end
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      redis.call('SADD', KEYS[2], ARGV[1])
      return 1""";

  private final RedisLink redis;
  private final LocalNodeLiveState local;

  public RedisNodeLiveState(RedisLink redis, LocalNodeLiveState local) {
    this.redis = redis;
    this.local = local;
    redis.onRecovery(this::writeBack);
  }

  @Override
  public void putNode(String nodeId, JsonObject fields, Duration ttl) {
    local.putNode(nodeId, fields, ttl);
    redis.write(List.of(putRequest(nodeId, fields, ttl)));
  }

  @Override
  public Future<JsonObject> node(String nodeId) {
    return redis.read(List.of(Request.cmd(Command.HGETALL).arg(nodeKey(nodeId))))
        .map(replies -> RedisValues.hash(replies.get(0)))
        .map(shared -> shared.isEmpty() ? local.nodeNow(nodeId) : shared.put("node_id", nodeId))
        .otherwise(failure -> local.nodeNow(nodeId));
  }

  /** Redis's nodes, and those only this instance knows of (its writes may still be on the way). */
  @Override
  public Future<List<JsonObject>> nodes() {
    return redis.read(List.of(Request.cmd(Command.SMEMBERS).arg(redis.key("nodes"))))
        .compose(replies -> sharedNodes(replies.get(0)))
        .map(shared -> {
          Map<String, JsonObject> all = new TreeMap<>();
          local.nodesNow().forEach(node -> all.put(node.getString("node_id"), node));
          all.putAll(shared);
          return List.copyOf(all.values());
        })
        .otherwise(failure -> local.nodesNow());
  }

  @Override
  public void forgetNode(String nodeId) {
    local.forgetNode(nodeId);
    redis.write(List.of(Request.cmd(Command.DEL).arg(nodeKey(nodeId)),
        Request.cmd(Command.SREM).arg(redis.key("nodes")).arg(nodeId)));
  }

  private Future<Map<String, JsonObject>> sharedNodes(Response members) {
    List<String> ids = new ArrayList<>();
    members.forEach(member -> ids.add(member.toString()));
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return redis.read(ids.stream().map(id -> Request.cmd(Command.HGETALL).arg(nodeKey(id))).toList()).map(replies -> {
      Map<String, JsonObject> nodes = new TreeMap<>();
      Request prune = Request.cmd(Command.SREM).arg(redis.key("nodes"));
      boolean expired = false;
      for (int i = 0; i < ids.size(); i++) {
        JsonObject fields = RedisValues.hash(replies.get(i));
        if (fields.isEmpty()) {
          prune.arg(ids.get(i));
          expired = true;
        } else {
          nodes.put(ids.get(i), fields.put("node_id", ids.get(i)));
        }
      }
      if (expired) {
        redis.write(List.of(prune));
      }
      return nodes;
    });
  }

  private Request putRequest(String nodeId, JsonObject fields, Duration ttl) {
    Request request = Request.cmd(Command.EVAL).arg(PUT_NODE).arg(2).arg(nodeKey(nodeId)).arg(redis.key("nodes"))
        .arg(nodeId).arg(Math.max(1, ttl.toMillis()));
    return RedisValues.withFields(request, fields);
  }

  /** After an outage: every unexpired node this instance knows, with the time it has left. */
  private void writeBack() {
    Instant now = local.clock().instant();
    List<Request> requests = new ArrayList<>();
    local.entries().forEach((nodeId, entry) -> requests.add(putRequest(nodeId, entry.fields(), Duration.between(now, entry.expiresAt()))));
    redis.write(requests);
  }

  private String nodeKey(String nodeId) {
    return redis.key("node:" + nodeId);
  }
}
