package io.codex32.executor;

import io.codex32.bot.BotSpec;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A request to a node's executor on {@code codex32.node.<id>.executor}. {@code botToken}: the
 * CODEX32_BOT_TOKEN a gateway issued for a node that cannot sign tokens itself (null otherwise).
 */
public record ExecutorCommand(Action action, BotSpec spec, String botToken) {

  public ExecutorCommand(Action action, BotSpec spec) {
    this(action, spec, null);
  }

  /** The same command carrying a token for the bot. */
  public ExecutorCommand withToken(String token) {
    return new ExecutorCommand(action, spec, token);
  }

  /** Whether this command may launch the bot's process. */
  public boolean launches() {
    return action == Action.START || action == Action.RESTART;
  }

  public enum Action {
    START, STOP, RESTART, REMOVE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action.wireName()).put("bot_id", spec.id()).put("spec", spec.toJson());
    return botToken == null ? json : json.put("bot_token", botToken);
  }
}
