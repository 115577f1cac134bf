package io.codex32.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBufferTest {

  private static final String ADDRESS = "codex32.bots.events";

  @Test
  void eventsThatCouldNotBeSentAreReplayedInOrderAndMarked() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addUnsent(ADDRESS, status(1));
    buffer.addUnsent(ADDRESS, status(2));

    List<EventBuffer.Replay> replay = buffer.replay(5_000);

    assertThat(replay).extracting(r -> r.body().getLong("version")).containsExactly(1L, 2L);
    assertThat(replay).allSatisfy(r -> assertThat(r.body().getBoolean("replayed")).isTrue());
    assertThat(buffer.replayed()).isEqualTo(2);
  }

  @Test
  void sentEventsAreKeptForTheRetentionWindowOnly() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addSent(ADDRESS, status(1), 0);
    buffer.addSent(ADDRESS, status(2), 900);
    buffer.addUnsent(ADDRESS, status(3));

    buffer.trim(1_500);

    // the first was sent long enough ago; the second may have gone into a gateway that just vanished
    assertThat(buffer.replay(2_000)).extracting(r -> r.body().getLong("version")).containsExactly(2L, 3L);
  }

  @Test
  void aFullBufferDropsTheOldestAndCountsOnlyWhatWasNeverSent() {
    EventBuffer buffer = new EventBuffer(3, 1_000);
    buffer.addSent(ADDRESS, status(1), 0);
    for (int version = 2; version <= 6; version++) {
      buffer.addUnsent(ADDRESS, status(version));
    }

    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.dropped()).as("versions 2 and 3 were lost; 1 had been sent").isEqualTo(2);
    assertThat(buffer.replay(0)).extracting(r -> r.body().getLong("version")).containsExactly(4L, 5L, 6L);
  }

  @Test
  void replayedEventsAreTrimmedOnceTheirWindowHasPassed() {
    EventBuffer buffer = new EventBuffer(10, 1_000);
    buffer.addUnsent(ADDRESS, status(1));
    buffer.replay(10_000);

    buffer.trim(10_500);
    assertThat(buffer.size()).isEqualTo(1);
    buffer.trim(11_001);
    assertThat(buffer.size()).isZero();
  }

  private static JsonObject status(long version) {
    return new JsonObject().put("type", "status").put("bot_id", "b").put("version", version);
  }
}
