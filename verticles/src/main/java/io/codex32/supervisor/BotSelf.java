package io.codex32.supervisor;

import io.codex32.live.MetricPoint;
import java.util.List;

/** What a bot learns about itself: its view, as operators see it, and its recent samples, oldest first. */
public record BotSelf(BotView bot, List<MetricPoint> metricsHistory) {

  public BotSelf {
    metricsHistory = List.copyOf(metricsHistory);
  }
}
