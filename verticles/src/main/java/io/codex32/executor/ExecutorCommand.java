package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** A request to a node's executor on {@code codex32.node.<id>.executor}. */
public record ExecutorCommand(Action action, BotSpec spec) {

  public enum Action {
    START, STOP, RESTART, REMOVE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("action", action.wireName()).put("bot_id", spec.id()).put("spec", spec.toJson());
  }
}
