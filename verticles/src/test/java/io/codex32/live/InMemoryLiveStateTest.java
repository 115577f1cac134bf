package io.codex32.live;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The live-state contract in this process's memory (the default without redis.url). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemoryLiveStateTest extends LiveStateContract {

  private final Clock clock = Clock.systemUTC();
  private final LiveState live = new LiveState(new LocalBotLiveState(clock, KEPT), new LocalNodeLiveState(clock),
      new LocalFailureCounters(clock), null);

  @Override
  LiveState writer() {
    return live;
  }

  @Override
  LiveState reader() {
    return live;
  }

  @Override
  void settle() {
    // every write is done when it returns
  }
}
