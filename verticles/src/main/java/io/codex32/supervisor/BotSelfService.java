package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotHeartbeat;
import io.codex32.error.Codex32Exception;
import io.codex32.live.BotLiveState;
import io.codex32.live.MetricPoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * What a bot may do about itself with its CODEX32_BOT_TOKEN, over REST or MQTT: read its own spec,
 * status and recent metrics, send heartbeats, and use the GPIO pins of its node that its spec
 * grants. Heartbeats go into the live state (so every
 * gateway instance shows the newest) and on the event bus to whichever executor supervises the
 * bot (its watchdog restarts bots that stop sending them).
 */
public final class BotSelfService {

  /** Samples of the metrics history returned by GET /api/v1/self. */
  public static final int SELF_METRIC_SAMPLES = 60;

  private final Vertx vertx;
  private final BotService bots;
  private final BotLiveState live;
  private final Clock clock;

  public BotSelfService(Vertx vertx, BotService bots, BotLiveState live, Clock clock) {
    this.vertx = vertx;
    this.bots = bots;
    this.live = live;
    this.clock = clock;
  }

  /** The bot as GET /bots/{id} shows it, and its recent samples; nothing about other bots. */
  public Future<BotSelf> self(String botId) {
    return bots.get(botId).compose(bot -> bots.metrics(botId, SELF_METRIC_SAMPLES)
        // a bot not placed on a node, or whose executor is away, still learns its spec and status
        .otherwise(List.<MetricPoint>of())
        .compose(history -> bots.view(bot).map(view -> new BotSelf(view, history))));
  }

  /**
   * The node whose {@code pin} the bot may use: 403 when its spec does not grant the pin, 409
   * {@code unschedulable} while the bot has no node.
   */
  public Future<String> gpioNode(String botId, String pin) {
    return bots.get(botId).map(bot -> {
      if (!bot.spec().grantsGpio(pin)) {
        throw Codex32Exception.forbidden("bot '" + botId + "' may not use pin '" + pin + "': its spec's gpio does not list it");
      }
      return BotPlacement.nodeOf(bot);
    });
  }

  /** Records the heartbeat in the live state and hands it to the executors. */
  public void heartbeat(String botId, HeartbeatReport report) {
    BotHeartbeat heartbeat = new BotHeartbeat(botId, clock.instant(), report.status(), report.metrics());
    live.recordHeartbeat(heartbeat);
    vertx.eventBus().publish(Addresses.BOT_HEARTBEATS, heartbeat.toJson());
  }
}
