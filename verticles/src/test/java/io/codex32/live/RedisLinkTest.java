package io.codex32.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.config.RedisConfig;
import io.codex32.test.Await;
import io.codex32.test.TestRedis;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the link to Redis does when Redis is missing, hung or back: it never piles work up and recovers by itself. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisLinkTest {

  private final String prefix = TestRedis.prefixFor(getClass());
  private Vertx vertx;
  private TestRedis redis;
  private RedisLink link;

  @BeforeEach
  void startVertx() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stopAll() {
    if (link != null) {
      Await.result(link.close());
    }
    if (redis != null) {
      redis.close();
    }
    vertx.close().await();
  }

  @Test
  void aGatewayStartedBeforeRedisComesUpWhenRedisStarts() {
    redis = TestRedis.notStarted();
    link = Await.result(RedisLink.open(vertx, config()));
    assertThat(link.isUp()).isFalse();
    assertThat(Await.cause(link.ping())).hasMessageContaining("127.0.0.1:" + redis.port()).hasMessageContaining("unavailable");

    redis.start();

    Await.until(link::isUp, "link up after redis started");
    Await.result(link.ping());
    link.write(List.of(set("greeting", "hello")));
    Await.until(() -> "hello".equals(get("greeting")), "write after recovery reached redis");
  }

  @Test
  void aHungRedisNeverPilesUpWritesAndIsLeftAloneUntilItAnswersAgain() {
    redis = TestRedis.startNew();
    link = Await.result(RedisLink.open(vertx, config()));
    assertThat(link.isUp()).isTrue();

    redis.freeze();
    try {
      for (int i = 0; i < RedisLink.MAX_PENDING_WRITES * 5; i++) {
        link.write(List.of(set("key-" + i, "value")));
        assertThat(link.pendingWrites()).isLessThanOrEqualTo(RedisLink.MAX_PENDING_WRITES);
      }
      assertThat(link.droppedWrites()).isPositive();
      // the stuck writes time out and take the link down; from then on reads and writes fail at once
      assertThat(Await.cause(link.read(List.of(Request.cmd(Command.GET).arg(prefix + "key-1"))))).isNotNull();
      Await.until(() -> !link.isUp(), "link down");
      Await.until(() -> link.pendingWrites() == 0, "timed-out writes released");
      long dropped = link.droppedWrites();
      link.write(List.of(set("while-down", "value")));
      assertThat(link.droppedWrites()).isEqualTo(dropped + 1);
      assertThat(link.pendingWrites()).isZero();
    } finally {
      redis.thaw();
    }

    Await.until(link::isUp, "link up after redis answers again");
    link.write(List.of(set("after", "thaw")));
    Await.until(() -> "thaw".equals(get("after")), "write after recovery reached redis");
  }

  @Test
  void anErrorAnswerFromRedisDoesNotTakeTheLinkDown() {
    redis = TestRedis.startNew();
    link = Await.result(RedisLink.open(vertx, config()));

    link.write(List.of(set("text", "not a number")));
    Await.until(() -> "not a number".equals(get("text")), "text written");
    assertThat(Await.cause(link.read(List.of(Request.cmd(Command.INCR).arg(prefix + "text"))))).hasMessageContaining("not an integer");

    assertThat(link.isUp()).isTrue();
    Await.result(link.ping());
  }

  private RedisConfig config() {
    return new RedisConfig(redis.url(), prefix);
  }

  private Request set(String key, String value) {
    return Request.cmd(Command.SET).arg(prefix + key).arg(value);
  }

  private String get(String key) {
    return Await.result(link.read(List.of(Request.cmd(Command.GET).arg(prefix + key)))
        .map(replies -> replies.get(0) == null ? null : replies.get(0).toString()));
  }
}
