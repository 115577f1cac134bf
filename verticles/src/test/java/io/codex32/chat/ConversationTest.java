package io.codex32.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.chat.intent.IntentMatch;
import io.codex32.chat.intent.Named;
import io.codex32.test.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a conversation remembers, and that its open questions lapse: a late "yes" confirms nothing. */
class ConversationTest {

  private final MutableClock clock = MutableClock.startingNow();
  private final Conversation conversation = new Conversation(clock);

  @Test
  void aConfirmationIsTakenOnceAndLapsesAfterItsTimeToLive() {
    conversation.ask("Stop pump?", () -> Future.succeededFuture());
    assertThat(conversation.takeConfirmation()).isNotNull();
    assertThat(conversation.takeConfirmation()).as("taken once").isNull();

    conversation.ask("Stop pump?", () -> Future.succeededFuture());
    clock.advance(Conversation.QUESTION_TTL.plusSeconds(1));
    assertThat(conversation.takeConfirmation()).as("lapsed").isNull();
  }

  @Test
  void aNewQuestionReplacesTheOpenOneAndCancelDropsIt() {
    conversation.ask("Stop pump?", () -> Future.succeededFuture());
    conversation.askChoice(new IntentMatch("start_bot", Map.of("bot", "pump")), "bot",
        List.of(new Named("pump-1", "Pump 1"), new Named("pump-2", "Pump 2")));

    assertThat(conversation.takeConfirmation()).as("replaced by the choice").isNull();
    assertThat(conversation.cancel()).as("the choice was open").isTrue();
    assertThat(conversation.takeChoice()).isNull();
    assertThat(conversation.cancel()).as("nothing open any more").isFalse();
  }

  @Test
  void theLastThingOfEachKindIsRemembered() {
    conversation.remember("bot", new Named("pump-1", "Pump 1"));
    conversation.remember("pin", new Named("relay", "Relay"));
    conversation.remember("bot", new Named("feeder", "Feeder"));

    assertThat(conversation.last("bot").id()).isEqualTo("feeder");
    assertThat(conversation.last("pin").id()).isEqualTo("relay");
    assertThat(conversation.last("device")).isNull();
  }

  @Test
  void conversationsOfTheApiAreKeptPerUserAndStartAfreshWhenIdle() {
    Conversations conversations = new Conversations(clock);
    Conversation alice = conversations.of("alice");

    assertThat(conversations.of("alice")).isSameAs(alice);
    assertThat(conversations.of("bob")).isNotSameAs(alice);
    clock.advance(Duration.ofMinutes(11));
    assertThat(conversations.of("alice")).as("idle for longer than 10 minutes").isNotSameAs(alice);
  }
}
