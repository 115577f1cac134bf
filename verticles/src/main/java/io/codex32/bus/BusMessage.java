package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * A message on a {@code codex32.*} address. Each family is a sealed interface of records in this
 * package with one JSON mapping (its {@code toJson} and static {@code fromJson}), the only place its
 * wire keys are written; every body carries the {@link Contract} version.
 */
public interface BusMessage {

  JsonObject toJson();
}
