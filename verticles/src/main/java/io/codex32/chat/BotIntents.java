package io.codex32.chat;

import io.codex32.bot.Bot;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotStatus;
import io.codex32.bus.BotLogLine;
import io.codex32.chat.intent.Named;
import io.codex32.security.Permission;
import io.codex32.supervisor.BotService;
import io.codex32.supervisor.BotView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Listing, asking after, starting, stopping and restarting bots, and their last log lines. */
final class BotIntents {

  /** More than this many bots are summed up rather than read out. */
  private static final int SPOKEN_LIST = 10;
  private static final int LOG_LINES = 5;

  private final BotService bots;
  private final Names names;
  private final Permits permits;
  private final ChatAudit audit;

  BotIntents(BotService bots, Names names, Permits permits, ChatAudit audit) {
    this.bots = bots;
    this.names = names;
    this.permits = permits;
    this.audit = audit;
  }

  Map<String, IntentHandler> handlers() {
    return Map.of(
        "list_bots", this::list,
        "bot_status", this::status,
        "bot_logs", this::logs,
        "start_bot", turn -> control(turn, new Control("start", "startBot", "Starting", false, bots::start)),
        "stop_bot", turn -> control(turn, new Control("stop", "stopBot", "Stopping", true, bots::stop)),
        "restart_bot", turn -> control(turn, new Control("restart", "restartBot", "Restarting", true, bots::restart)));
  }

  /** A lifecycle action: its verb, API operation, what is said when it is done, whether it asks first. */
  private record Control(String verb, String operation, String doing, boolean asks, Function<String, Future<Bot>> call) {
  }

  private Future<ChatReply> list(Turn turn) {
    String status = turn.slot("status");
    return permits.read(turn, Permission.BOTS_READ, "list bots")
        .compose(v -> status(turn, status))
        .compose(wanted -> bots.list(new BotQuery(wanted, null, null, 0, Integer.MAX_VALUE)))
        .map(page -> {
          List<Bot> found = page.items().stream().map(BotView::bot).toList();
          String which = status == null ? "" : status + " ";
          String text = found.isEmpty() ? "There are no " + which + "bots."
              : found.size() + " " + which + (found.size() == 1 ? "bot: " : "bots: ") + spokenList(found, status == null) + ".";
          JsonArray items = new JsonArray(found.stream().map(BotIntents::summary).toList());
          return ChatReply.say(text, turn.intent(), turn.match().slots(), new JsonObject().put("bots", items));
        });
  }

  /** The status asked for (null: any); "and stopped ones?" may name something that is not a status. */
  private static Future<BotStatus> status(Turn turn, String said) {
    if (said == null) {
      return Future.succeededFuture();
    }
    return Arrays.stream(BotStatus.values()).filter(s -> s.wireName().equals(said)).findFirst().map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Answers.say(turn, "'" + said + "' is not a bot status; say one of "
            + Arrays.stream(BotStatus.values()).map(BotStatus::wireName).collect(Collectors.joining(", ")) + ".")));
  }

  private static String spokenList(List<Bot> found, boolean withStatus) {
    String listed = found.stream().limit(SPOKEN_LIST).map(b -> withStatus ? b.id() + " (" + b.status().wireName() + ")" : b.id())
        .collect(Collectors.joining(", "));
    return found.size() > SPOKEN_LIST ? listed + " and " + (found.size() - SPOKEN_LIST) + " more" : listed;
  }

  private Future<ChatReply> status(Turn turn) {
    return permits.read(turn, Permission.BOTS_READ, "read bots")
        .compose(v -> NameResolution.resolve(turn, "bot", Names.BOT, names.bots()))
        .compose(named -> bots.get(named.id()))
        .map(bot -> ChatReply.say(describe(bot), turn.intent(), turn.match().slots(), summary(bot)));
  }

  private static String describe(Bot bot) {
    String text = bot.id() + " is " + bot.status().wireName();
    if (bot.node() != null) {
      text += " on node " + bot.node();
    }
    return bot.reason() == null || bot.reason().isBlank() ? text + "." : text + ": " + bot.reason() + ".";
  }

  private Future<ChatReply> logs(Turn turn) {
    return permits.read(turn, Permission.BOTS_READ, "read bot logs")
        .compose(v -> NameResolution.resolve(turn, "bot", Names.BOT, names.bots()))
        .compose(named -> bots.logs(named.id(), LOG_LINES, null).map(lines -> {
          String text = lines.isEmpty() ? named.id() + " has no log lines yet."
              : "The last " + lines.size() + " lines of " + named.id() + ": "
                  + lines.stream().map(BotLogLine::line).collect(Collectors.joining(" / "));
          JsonArray items = new JsonArray(lines.stream().map(l -> new JsonObject().put("time", l.time().toString())
              .put("stream", l.stream()).put("line", l.line())).toList());
          return ChatReply.say(text, turn.intent(), turn.match().slots(), new JsonObject().put("bot", named.id()).put("lines", items));
        }));
  }

  private Future<ChatReply> control(Turn turn, Control control) {
    String target = turn.slot("bot");
    return permits.act(turn, Permission.BOTS_CONTROL, control.verb() + " bots", control.operation(), target)
        .compose(v -> NameResolution.resolve(turn, "bot", Names.BOT, names.bots()))
        .compose(named -> {
          if (!control.asks()) {
            return carryOut(turn, control, named);
          }
          String question = capitalised(control.verb()) + " " + NameResolution.describe(named) + "? Say yes to confirm or no to cancel.";
          turn.conversation().ask(question, () -> carryOut(turn, control, named));
          return Future.succeededFuture(new ChatReply(question, turn.intent(), turn.match().slots(),
              new JsonObject().put("id", named.id()), ChatReply.CONFIRMATION, null));
        });
  }

  private Future<ChatReply> carryOut(Turn turn, Control control, Named named) {
    return control.call().apply(named.id())
        .compose(bot -> audit.success(turn, control.operation(), bot.id(), null)
            .map(v -> ChatReply.say(control.doing() + " " + bot.id() + ".", turn.intent(), turn.match().slots(), summary(bot))))
        .recover(failure -> audit.failed(turn, control.operation(), named.id(), failure)
            .compose(v -> Future.failedFuture(Answers.failed(turn, control.verb() + " " + named.id(), failure))));
  }

  private static JsonObject summary(Bot bot) {
    return new JsonObject().put("id", bot.id()).put("name", bot.spec().name()).put("status", bot.status().wireName())
        .put("desired_state", bot.desiredState().wireName()).put("node", bot.node());
  }

  private static String capitalised(String verb) {
    return Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
  }
}
