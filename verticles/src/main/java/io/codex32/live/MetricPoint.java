package io.codex32.live;

import java.time.Instant;

/** One point of a bot's metrics history: CPU (percent of one core) and memory (MiB) of its process tree at {@code time}. */
public record MetricPoint(Instant time, Double cpuLoad, Double memoryMb, Integer processes) {
}
