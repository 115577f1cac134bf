package io.codex32.bot;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A bot as stored: its spec, the desired state, and the last reported status. {@code statusVersion}
 * grows with every status change so out-of-order reports are ignored; {@code revision} is the
 * store's optimistic-concurrency revision. {@code assignedNode} is the node the gateway chose for a
 * bot placed by labels ({@code null} while it has none, and for a bot placed by node id): it is
 * state, not part of the spec, so it never travels in the spec.
 */
public record Bot(BotSpec spec, DesiredState desiredState, BotStatus status, long statusVersion, String reason,
    String assignedNode, Instant createdAt, Instant updatedAt, long revision) {

  public String id() {
    return spec.id();
  }

  /** The node the bot's commands go to: the one its spec names, else the assigned one; {@code null} while unassigned. */
  public String node() {
    return spec.placement().bySelector() ? assignedNode : spec.placement().node();
  }

  /** A new placement forgets the assignment: the next start chooses again. */
  public Bot withSpec(BotSpec newSpec, Instant now) {
    String keep = newSpec.placement().equals(spec.placement()) ? assignedNode : null;
    return new Bot(newSpec, desiredState, status, statusVersion, reason, keep, createdAt, now, revision);
  }

  public Bot withDesiredState(DesiredState desired, Instant now) {
    return new Bot(spec, desired, status, statusVersion, reason, assignedNode, createdAt, now, revision);
  }

  /** Assigned to {@code node} ({@code null}: to none). */
  public Bot withAssignedNode(String node, Instant now) {
    return new Bot(spec, desiredState, status, statusVersion, reason, node, createdAt, now, revision);
  }

  public Bot withStatus(BotStatus newStatus, long version, String why, Instant now) {
    return new Bot(spec, desiredState, newStatus, version, why, assignedNode, createdAt, now, revision);
  }

  /** The stored form (no live metrics). */
  public JsonObject toStoredJson() {
    JsonObject json = new JsonObject()
        .put("spec", spec.toJson())
        .put("desired_state", desiredState.wireName())
        .put("status", status.wireName())
        .put("status_version", statusVersion)
        .put("reason", reason)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
    return assignedNode == null ? json : json.put("assigned_node", assignedNode);
  }

  public static Bot fromStoredJson(JsonObject json, long revision) {
    return new Bot(
        BotSpec.fromJson(json.getJsonObject("spec")),
        DesiredState.parse(json.getString("desired_state")),
        BotStatus.parse(json.getString("status")),
        json.getLong("status_version", 0L),
        json.getString("reason"),
        json.getString("assigned_node"),
        Instant.parse(json.getString("created_at")),
        Instant.parse(json.getString("updated_at")),
        revision);
  }
}
