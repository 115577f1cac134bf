package io.codex32.executor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.executor.process.ExitStatus;
import io.codex32.executor.process.RunningProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The heartbeat deadline of {@link BotLifecycle}, on a clock the test moves. */
class BotLifecycleHeartbeatTest {

  private static final Instant T0 = Instant.parse("2026-01-31T10:00:00Z");

  private static final class MovingClock extends Clock {
    private Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static BotSpec spec(long timeoutSeconds) {
    return BotSpec.fromJson(new JsonObject().put("id", "hb").put("command", new JsonArray().add("sh"))
        .put("heartbeat_timeout_s", timeoutSeconds));
  }

  private static RunningProcess process(Instant startedAt) {
    return new RunningProcess() {
      @Override
      public String botId() {
        return "hb";
      }

      @Override
      public long pid() {
        return 4242;
      }

      @Override
      public Instant startedAt() {
        return startedAt;
      }

      @Override
      public boolean adopted() {
        return false;
      }

      @Override
      public CompletableFuture<ExitStatus> onExit() {
        return new CompletableFuture<>();
      }
    };
  }

  private static BotLifecycle running(MovingClock clock, long timeoutSeconds) {
    BotLifecycle bot = new BotLifecycle(spec(timeoutSeconds), clock, b -> { });
    bot.operatorStart();
    bot.moveTo(BotStatus.STARTING, null);
    bot.launched(process(clock.instant()));
    bot.moveTo(BotStatus.RUNNING, null);
    return bot;
  }

  @Test
  void theFirstHeartbeatIsDueOneTimeoutAfterTheLaunchAndEachNextOneAfterThePrevious() {
    MovingClock clock = new MovingClock();
    BotLifecycle bot = running(clock, 5);
    clock.advance(Duration.ofMillis(4999));
    assertThat(bot.heartbeatOverdue(clock.instant())).isFalse();
    bot.heartbeat(clock.instant(), "ok", null);
    clock.advance(Duration.ofMillis(4999));
    assertThat(bot.heartbeatOverdue(clock.instant())).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(bot.heartbeatOverdue(clock.instant())).isTrue();
  }

  @Test
  void aHeartbeatOfAnEarlierRunDoesNotExtendTheGraceOfANewOne() {
    MovingClock clock = new MovingClock();
    BotLifecycle bot = running(clock, 2);
    bot.heartbeat(clock.instant(), "first run", new JsonObject().put("n", 1));
    clock.advance(Duration.ofSeconds(10));
    bot.launched(process(clock.instant()));
    clock.advance(Duration.ofMillis(1999));
    assertThat(bot.heartbeatOverdue(clock.instant())).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(bot.heartbeatOverdue(clock.instant())).isTrue();
    // a heartbeat without status or metrics keeps what was reported last
    bot.heartbeat(clock.instant(), null, null);
    assertThat(bot.heartbeatStatus()).isEqualTo("first run");
    assertThat(bot.heartbeatMetrics().getInteger("n")).isEqualTo(1);
  }

  @Test
  void noTimeoutMeansNoWatchdogAndOnlyARunningBotIsWatched() {
    MovingClock clock = new MovingClock();
    BotLifecycle unwatched = running(clock, 0);
    clock.advance(Duration.ofDays(1));
    assertThat(unwatched.heartbeatOverdue(clock.instant())).isFalse();

    BotLifecycle stopping = running(clock, 1);
    stopping.moveTo(BotStatus.STOPPING, "stopped by operator");
    clock.advance(Duration.ofSeconds(5));
    assertThat(stopping.heartbeatOverdue(clock.instant())).isFalse();
  }
}
