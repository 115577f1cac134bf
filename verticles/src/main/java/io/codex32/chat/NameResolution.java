package io.codex32.chat;

import io.codex32.chat.intent.IntentCatalog;
import io.codex32.chat.intent.NameMatch;
import io.codex32.chat.intent.NameMatcher;
import io.codex32.chat.intent.Named;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the name in a slot into the one thing it means, or into a question: "it" and a missing
 * name mean the last thing of that kind in the conversation; a name that fits several equally well
 * asks which (and the next utterance may answer with just the name); an unknown name says so and
 * offers the closest.
 */
final class NameResolution {

  private static final Set<String> PRONOUNS = Set.of("it", "that", "this", "them", "its");

  private NameResolution() {
  }

  static Future<Named> resolve(Turn turn, String slot, String kind, Future<List<Named>> candidates) {
    String said = turn.slot(slot);
    if (said == null || PRONOUNS.contains(said.toLowerCase(Locale.ROOT).strip())) {
      Named last = turn.conversation().last(kind);
      return last != null ? Future.succeededFuture(last)
          : Future.failedFuture(Answers.say(turn, "Which " + kind + "?"));
    }
    return candidates.compose(list -> {
      NameMatch match = NameMatcher.match(said, list);
      if (match instanceof NameMatch.Found found) {
        turn.conversation().remember(kind, found.named());
        return Future.succeededFuture(found.named());
      }
      if (match instanceof NameMatch.Ambiguous ambiguous) {
        turn.conversation().askChoice(turn.match(), slot, ambiguous.candidates());
        return Future.failedFuture(new Answer(new ChatReply("Which " + kind + " do you mean: " + either(ambiguous.candidates()) + "?",
            turn.intent(), turn.match().slots(), null, ChatReply.CHOICE, ids(ambiguous.candidates()))));
      }
      List<Named> closest = ((NameMatch.NotFound) match).closest();
      String text = "I don't know a " + kind + " called '" + said + "'."
          + (closest.isEmpty() ? "" : " Did you mean " + either(closest) + "?");
      return Future.failedFuture(Answers.say(turn, text));
    });
  }

  /** "a", "a or b", "a, b or c", naming each by id and, when it differs, its display name. */
  static String either(List<Named> names) {
    List<String> said = names.stream().map(NameResolution::describe).toList();
    if (said.size() == 1) {
      return said.get(0);
    }
    return said.subList(0, said.size() - 1).stream().collect(Collectors.joining(", ")) + " or " + said.get(said.size() - 1);
  }

  /** The ids of a choice, offered as answers to click or say. */
  static List<String> ids(List<Named> names) {
    return names.stream().map(Named::id).toList();
  }

  static String describe(Named named) {
    boolean same = named.name() == null || IntentCatalog.spoken(named.name()).equals(IntentCatalog.spoken(named.id()));
    return same ? named.id() : named.id() + " (" + named.name() + ")";
  }
}
