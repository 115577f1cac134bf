package io.codex32.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.BotStatus;
import io.codex32.bus.BotEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBufferTest {

  @Test
  void eventsThatCouldNotBeSentAreReplayedInOrderAndMarked() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addUnsent(status(1));
    buffer.addUnsent(status(2));

    List<BotEvent.Status> replay = buffer.replay(5_000);

    assertThat(replay).extracting(BotEvent.Status::version).containsExactly(1L, 2L);
    assertThat(replay).allSatisfy(r -> assertThat(r.replayed()).isTrue());
    assertThat(buffer.replayed()).isEqualTo(2);
  }

  @Test
  void sentEventsAreKeptForTheRetentionWindowOnly() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addSent(status(1), 0);
    buffer.addSent(status(2), 900);
    buffer.addUnsent(status(3));

    buffer.trim(1_500);

    // the first was sent long enough ago; the second may have gone into a gateway that just vanished
    assertThat(buffer.replay(2_000)).extracting(BotEvent.Status::version).containsExactly(2L, 3L);
  }

  @Test
  void aFullBufferDropsTheOldestAndCountsOnlyWhatWasNeverSent() {
    EventBuffer buffer = new EventBuffer(3, 1_000);
    buffer.addSent(status(1), 0);
    for (int version = 2; version <= 6; version++) {
      buffer.addUnsent(status(version));
    }

    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.dropped()).as("versions 2 and 3 were lost; 1 had been sent").isEqualTo(2);
    assertThat(buffer.replay(0)).extracting(BotEvent.Status::version).containsExactly(4L, 5L, 6L);
  }

  @Test
  void replayedEventsAreTrimmedOnceTheirWindowHasPassed() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addUnsent(status(1));
    buffer.replay(10_000);

    buffer.trim(10_500);
    assertThat(buffer.size()).isEqualTo(1);
    buffer.trim(11_001);
    assertThat(buffer.size()).isZero();
  }

  private static BotEvent.Status status(long version) {
    return BotEvent.Status.decided("b", "pi-1", BotStatus.RUNNING, version, null, Instant.EPOCH);
  }
}
