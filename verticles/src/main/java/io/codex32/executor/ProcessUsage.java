package io.codex32.executor;

/** CPU and memory of a bot's whole process tree at one sample. CPU is percent of one core (200 = two cores busy). */
public record ProcessUsage(double cpuPercent, long rssBytes, int processes) {
}
