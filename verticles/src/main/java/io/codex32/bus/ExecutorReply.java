package io.codex32.bus;

import io.codex32.bot.BotStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a node's executor answers to an {@link ExecutorRequest}; failures are reply failures ({@link BusFailures}). */
public sealed interface ExecutorReply extends BusMessage {

  String ACCEPTED = "accepted";
  String STATUS = "status";
  String KNOWN = "known";
  String ITEMS = "items";
  String BOTS = "bots";

  /**
   * A start, stop, restart or remove was taken on. {@code status}: the bot's status then (null after
   * a remove, or a stop of a bot the executor does not have, when {@code known} is false).
   */
  record Accepted(BotStatus status, boolean known) implements ExecutorReply {

    public static Accepted unknownBot() {
      return new Accepted(null, false);
    }
  }

  /** The newest lines of a bot, oldest first. */
  record LogTail(List<BotLogLine> lines) implements ExecutorReply {

    public LogTail {
      lines = List.copyOf(lines);
    }
  }

  /** How many bots the executor supervises (a summary), or re-announced (a report). */
  record BotCount(int bots) implements ExecutorReply {
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Accepted accepted) {
      json.put(ACCEPTED, true);
      if (accepted.status() != null) {
        json.put(STATUS, accepted.status().wireName());
      }
      return accepted.known() ? json : json.put(KNOWN, false);
    } else if (this instanceof LogTail tail) {
      JsonArray items = new JsonArray();
      tail.lines().forEach(line -> items.add(line.toJson()));
      return json.put(ITEMS, items);
    }
    return json.put(BOTS, ((BotCount) this).bots());
  }

  /** The reply to {@code request} in {@code body}. */
  static ExecutorReply fromJson(ExecutorRequest request, Object body) {
    Fields f = Fields.of(body);
    if (request instanceof ExecutorRequest.Logs) {
      return new LogTail(f.list(ITEMS, BotLogLine::fromJson));
    }
    if (request instanceof ExecutorRequest.Summary || request instanceof ExecutorRequest.Report) {
      return new BotCount(f.integer(BOTS));
    }
    String status = f.optionalText(STATUS);
    return new Accepted(status == null ? null : f.parsed(STATUS, BotStatus::parse), !f.json().containsKey(KNOWN) || f.flag(KNOWN));
  }
}
