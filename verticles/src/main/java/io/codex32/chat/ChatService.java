package io.codex32.chat;

import io.codex32.audit.AuditLog;
import io.codex32.chat.intent.IntentCatalog;
import io.codex32.chat.intent.IntentMatch;
import io.codex32.chat.intent.NameMatch;
import io.codex32.chat.intent.NameMatcher;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceService;
import io.codex32.error.Codex32Exception;
import io.codex32.nodes.GpioClient;
import io.codex32.nodes.NodeRegistry;
import io.codex32.supervisor.BotService;
import io.codex32.voice.Vocabulary;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Understands one utterance in a conversation and answers it: matches it to an intent, settles open
 * questions (a yes, a no, which of two names), fills "it" and "and the pump?" from the context, and
 * hands the intent to its handler, which acts through the same services, permission checks and audit
 * records as the API. Typed and spoken utterances take the same path; only the audit channel differs.
 */
public final class ChatService {

  /** Longest utterance accepted, in characters: a sentence, not a document. */
  public static final int MAX_TEXT = 500;
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
  private static final int SUGGESTIONS = 3;
  /** The slot that names the thing each intent acts on: what "and the pump?" replaces. */
  private static final Map<String, String> ENTITY_SLOT = Map.ofEntries(
      Map.entry("list_bots", "status"), Map.entry("bot_status", "bot"), Map.entry("start_bot", "bot"), Map.entry("stop_bot", "bot"),
      Map.entry("restart_bot", "bot"), Map.entry("bot_logs", "bot"), Map.entry("node_status", "node"),
      Map.entry("device_command", "device"), Map.entry("gpio_write", "pin"), Map.entry("gpio_toggle", "pin"),
      Map.entry("gpio_pulse", "pin"), Map.entry("run_workflow", "workflow"));
  private static final Set<String> CONVERSATIONAL = Set.of("help", "confirm", "cancel", "follow_up");

  private final IntentCatalog catalog;
  private final Names names;
  private final Map<String, IntentHandler> handlers = new HashMap<>();

  public ChatService(IntentCatalog catalog, BotService bots, DeviceService devices, DeviceCommands commands, NodeRegistry nodes,
      GpioClient gpio, AuditLog auditLog) {
    this.catalog = catalog;
    this.names = new Names(bots, devices, nodes, gpio);
    ChatAudit audit = new ChatAudit(auditLog);
    Permits permits = new Permits(audit);
    handlers.putAll(new BotIntents(bots, names, permits, audit).handlers());
    handlers.putAll(new NodeIntents(nodes, names, permits).handlers());
    handlers.putAll(new DeviceIntents(commands, names, permits, audit).handlers());
    handlers.putAll(new GpioIntents(gpio, names, permits, audit).handlers());
    handlers.put("run_workflow", turn -> Future.failedFuture(Answers.say(turn,
        "Workflows are not available yet, so I cannot run '" + turn.slot("workflow") + "'.")));
  }

  /**
   * The answer to {@code text}. Fails only with a 400 for text that is empty or longer than
   * {@value #MAX_TEXT} characters; everything else, refusals and failed actions included, is a reply.
   */
  public Future<ChatReply> handle(Conversation conversation, Asker asker, String text) {
    String said = text == null ? "" : text.strip();
    if (said.isEmpty()) {
      return Future.failedFuture(Codex32Exception.badRequest("empty_text", "say something, e.g. 'list bots'"));
    }
    if (said.length() > MAX_TEXT) {
      return Future.failedFuture(Codex32Exception.badRequest("text_too_long", "at most " + MAX_TEXT + " characters"));
    }
    conversation.touch();
    Conversation.Choice choice = conversation.takeChoice();
    if (choice != null && NameMatcher.match(said, choice.candidates()) instanceof NameMatch.Found found) {
      return run(new Turn(withSlot(choice.match(), choice.slot(), found.named().id()), asker, conversation));
    }
    return catalog.match(said)
        .map(match -> understood(new Turn(match, asker, conversation)))
        .orElseGet(() -> Future.succeededFuture(new ChatReply("Sorry, I did not understand '" + said + "'. Try: "
            + String.join("; ", catalog.suggestions(said, SUGGESTIONS)) + ".", null, null, null, null,
            catalog.suggestions(said, SUGGESTIONS))));
  }

  /** What speech may be recognised as right now: the intent sentences with every live name. */
  public Future<Vocabulary> vocabulary() {
    return names.spoken().map(catalog::vocabulary);
  }

  private Future<ChatReply> understood(Turn turn) {
    Conversation conversation = turn.conversation();
    switch (turn.intent()) {
      case "help":
        return Future.succeededFuture(ChatReply.say("You can say: " + String.join("; ", catalog.examples()) + ".", turn.intent(),
            turn.match().slots(), null));
      case "confirm": {
        Conversation.Confirmation open = conversation.takeConfirmation();
        return open == null ? Future.succeededFuture(ChatReply.say("There is nothing to confirm.", turn.intent(), Map.of(), null))
            : settle(turn, open.action().get());
      }
      case "cancel":
        return Future.succeededFuture(ChatReply.say(conversation.cancel() ? "Cancelled." : "There is nothing to cancel.",
            turn.intent(), Map.of(), null));
      case "follow_up": {
        IntentMatch last = conversation.lastIntent();
        String slot = last == null ? null : ENTITY_SLOT.get(last.intent());
        if (slot == null) {
          return Future.succeededFuture(ChatReply.say("Sorry, I don't know what you are asking about '" + turn.slot("target")
              + "'. Try: " + String.join("; ", catalog.suggestions(turn.slot("target"), SUGGESTIONS)) + ".", turn.intent(),
              turn.match().slots(), null));
        }
        return run(new Turn(withSlot(last, slot, turn.slot("target")), turn.asker(), conversation));
      }
      default:
        return run(turn);
    }
  }

  private Future<ChatReply> run(Turn turn) {
    if (!CONVERSATIONAL.contains(turn.intent())) {
      turn.conversation().rememberIntent(turn.match());
    }
    IntentHandler handler = handlers.get(turn.intent());
    if (handler == null) {
      return Future.succeededFuture(ChatReply.say("Sorry, I cannot do '" + turn.intent() + "' yet.", turn.intent(), turn.match().slots(),
          null));
    }
    return settle(turn, handler.handle(turn));
  }

  /** An early {@link Answer} is the reply; any other failure is said plainly (and logged: it is ours). */
  private static Future<ChatReply> settle(Turn turn, Future<ChatReply> reply) {
    return reply.recover(failure -> {
      if (failure instanceof Answer answer) {
        return Future.succeededFuture(answer.reply());
      }
      if (failure instanceof Codex32Exception) {
        return Future.succeededFuture(Answers.failed(turn, "do that", failure).reply());
      }
      LOG.error("chat intent {} failed", turn.intent(), failure);
      return Future.succeededFuture(ChatReply.say("Sorry, something went wrong; it has been logged.", turn.intent(),
          turn.match().slots(), null));
    });
  }

  private static IntentMatch withSlot(IntentMatch match, String slot, String value) {
    Map<String, String> slots = new HashMap<>(match.slots());
    slots.put(slot, value);
    return new IntentMatch(match.intent(), slots);
  }
}
