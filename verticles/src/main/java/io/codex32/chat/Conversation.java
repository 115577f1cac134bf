package io.codex32.chat;

import io.codex32.chat.intent.IntentMatch;
import io.codex32.chat.intent.Named;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one conversation remembers between utterances: the last intent (for "and the pump?"), the
 * last thing of each kind named (for "stop it"), and at most one open question, either a yes/no
 * before a destructive action or a choice between names that fitted equally well. Open questions
 * lapse after {@link #QUESTION_TTL}, so a "yes" said much later confirms nothing. Synchronized: the
 * conversations of {@code POST /api/v1/chat} may be reached from several event loops at once.
 */
public final class Conversation {

  public static final Duration QUESTION_TTL = Duration.ofSeconds(60);

  private final Clock clock;
  private final Map<String, Named> lastNamed = new HashMap<>();
  private IntentMatch lastIntent;
  private Confirmation confirmation;
  private Choice choice;
  private Instant lastUsed;

  /** A destructive action waiting for a yes. */
  record Confirmation(String question, Supplier<Future<ChatReply>> action, Instant expires) {
  }

  /** An intent waiting to learn which of {@code candidates} its {@code slot} meant. */
  record Choice(IntentMatch match, String slot, List<Named> candidates, Instant expires) {
  }

  public Conversation(Clock clock) {
    this.clock = clock;
    this.lastUsed = clock.instant();
  }

  synchronized void touch() {
    lastUsed = clock.instant();
  }

  synchronized Instant lastUsed() {
    return lastUsed;
  }

  synchronized IntentMatch lastIntent() {
    return lastIntent;
  }

  synchronized void rememberIntent(IntentMatch match) {
    lastIntent = match;
  }

  synchronized Named last(String kind) {
    return lastNamed.get(kind);
  }

  synchronized void remember(String kind, Named named) {
    lastNamed.put(kind, named);
  }

  /** Asks for a yes; replaces any open question. */
  synchronized void ask(String question, Supplier<Future<ChatReply>> action) {
    choice = null;
    confirmation = new Confirmation(question, action, clock.instant().plus(QUESTION_TTL));
  }

  /** Asks which name was meant; replaces any open question. */
  synchronized void askChoice(IntentMatch match, String slot, List<Named> candidates) {
    confirmation = null;
    choice = new Choice(match, slot, List.copyOf(candidates), clock.instant().plus(QUESTION_TTL));
  }

  /** The open yes/no question, removed; null when there is none or it lapsed. */
  synchronized Confirmation takeConfirmation() {
    Confirmation open = confirmation;
    confirmation = null;
    return open != null && clock.instant().isBefore(open.expires()) ? open : null;
  }

  /** The open choice, removed; null when there is none or it lapsed. */
  synchronized Choice takeChoice() {
    Choice open = choice;
    choice = null;
    return open != null && clock.instant().isBefore(open.expires()) ? open : null;
  }

  /** Drops any open question; true when there was one still open. */
  synchronized boolean cancel() {
    boolean open = takeConfirmation() != null | takeChoice() != null;
    confirmation = null;
    choice = null;
    return open;
  }
}
