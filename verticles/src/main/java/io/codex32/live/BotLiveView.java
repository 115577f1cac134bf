package io.codex32.live;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What is known right now about a bot's process (nulls when nothing is known). {@code pid},
 * {@code startedAt} and {@code uptimeSeconds} only while it runs; {@code lastLines}: the last output
 * of a failed run; {@code quotaEnforcement}: {@code cgroup} or {@code sampling}; the heartbeat fields
 * are the newer of what the bot sent and what its executor reported, within the current run
 * ({@code heartbeatMetrics}: the bot's own flat metrics, as it sent them).
 */
public record BotLiveView(Long pid, Instant startedAt, Long uptimeSeconds, Double cpuLoad, Double memoryMb, int restarts,
    Integer exitCode, Integer signal, List<String> lastLines, String quotaEnforcement, Instant lastHeartbeat, String heartbeatStatus,
    JsonObject heartbeatMetrics) {

  public BotLiveView {
    lastLines = lastLines == null ? null : List.copyOf(lastLines);
  }
}
