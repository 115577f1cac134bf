package io.codex32.bus;

import io.codex32.bot.BotSpec;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A request to a node's executor on {@code codex32.node.<id>.executor}; the reply is an
 * {@link ExecutorReply} of the kind {@link ExecutorReply#fromJson} expects for the request. The
 * JSON mapping below is the only place its wire keys are written.
 */
public sealed interface ExecutorRequest extends BusMessage {

  String ACTION = "action";
  String BOT_ID = "bot_id";
  String SPEC = "spec";
  String BOT_TOKEN = "bot_token";
  String TAIL = "tail";
  String SINCE = "since";
  int DEFAULT_TAIL = 100;

  /**
   * Start the bot (a no-op when it is already starting, running or stopping). {@code botToken}: the
   * CODEX32_BOT_TOKEN a gateway issued for a node that cannot sign tokens itself (null otherwise).
   */
  record Start(BotSpec spec, String botToken) implements ExecutorRequest {
  }

  /** Stop a running bot, start it again with {@code spec}; otherwise like {@link Start}. */
  record Restart(BotSpec spec, String botToken) implements ExecutorRequest {
  }

  record Stop(String botId) implements ExecutorRequest {
  }

  /** Stop the bot and forget it (its directory stays). */
  record Remove(String botId) implements ExecutorRequest {
  }

  /** The newest {@code tail} lines, those after {@code since} only when it is given. */
  record Logs(String botId, int tail, Instant since) implements ExecutorRequest {
  }

  /** How many bots the executor supervises (for the node heartbeat). */
  record Summary() implements ExecutorRequest {
  }

  /** Publish every bot's status again (a gateway lost track of the node). */
  record Report() implements ExecutorRequest {
  }

  /** The same launch carrying a token for the bot; other requests as they are. */
  default ExecutorRequest withToken(String token) {
    if (this instanceof Start start) {
      return new Start(start.spec(), token);
    }
    return this instanceof Restart restart ? new Restart(restart.spec(), token) : this;
  }

  /** Whether this request may launch the bot's process. */
  default boolean launches() {
    return this instanceof Start || this instanceof Restart;
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Start start) {
      return launch(json.put(ACTION, "start"), start.spec(), start.botToken());
    } else if (this instanceof Restart restart) {
      return launch(json.put(ACTION, "restart"), restart.spec(), restart.botToken());
    } else if (this instanceof Stop stop) {
      return json.put(ACTION, "stop").put(BOT_ID, stop.botId());
    } else if (this instanceof Remove remove) {
      return json.put(ACTION, "remove").put(BOT_ID, remove.botId());
    } else if (this instanceof Logs logs) {
      return json.put(ACTION, "logs").put(BOT_ID, logs.botId()).put(TAIL, logs.tail())
          .put(SINCE, logs.since() == null ? null : logs.since().toString());
    }
    return json.put(ACTION, this instanceof Summary ? "summary" : "report");
  }

  private static JsonObject launch(JsonObject json, BotSpec spec, String token) {
    json.put(BOT_ID, spec.id()).put(SPEC, spec.toJson());
    return token == null ? json : json.put(BOT_TOKEN, token);
  }

  /** The request in {@code body}; an {@link UnreadableMessage} (or the spec's validation error) when it is not one. */
  static ExecutorRequest fromJson(Object body) {
    Fields f = Fields.of(body);
    String action = f.text(ACTION);
    return switch (action) {
      case "start" -> new Start(BotSpec.fromJson(f.object(SPEC)), f.optionalText(BOT_TOKEN));
      case "restart" -> new Restart(BotSpec.fromJson(f.object(SPEC)), f.optionalText(BOT_TOKEN));
      case "stop" -> new Stop(f.text(BOT_ID));
      case "remove" -> new Remove(f.text(BOT_ID));
      case "logs" -> new Logs(f.text(BOT_ID), tail(f), f.optionalInstant(SINCE));
      case "summary" -> new Summary();
      case "report" -> new Report();
      default -> throw UnreadableMessage.of("unknown_action", "unknown executor action '" + action + "'");
    };
  }

  private static int tail(Fields f) {
    Integer tail = f.optionalInt(TAIL);
    return tail == null ? DEFAULT_TAIL : tail;
  }
}
