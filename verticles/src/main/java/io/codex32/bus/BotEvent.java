package io.codex32.bus;

import io.codex32.bot.BotStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What is published on {@code codex32.bots.events}: a bot's status changed ({@link Status}), or an
 * executor sampled its running bots ({@link Metrics}). The JSON mapping below is the only place
 * their wire keys are written.
 */
public sealed interface BotEvent extends BusMessage {

  String TYPE = "type";
  String BOT_ID = "bot_id";
  String NODE = "node";
  String STATUS = "status";
  String VERSION = "version";
  String REASON = "reason";
  String TIME = "time";
  String PID = "pid";
  String STARTED_AT = "started_at";
  String ADOPTED = "adopted";
  String RESTARTS = "restarts";
  String EXIT_CODE = "exit_code";
  String SIGNAL = "signal";
  String ENFORCEMENT = "enforcement";
  String LAST_HEARTBEAT = "last_heartbeat";
  String LAST_LINES = "last_lines";
  String REPLAYED = "replayed";
  String SAMPLES = "samples";
  String CPU_LOAD = "cpu_load";
  String MEMORY_USAGE_MB = "memory_usage_mb";
  String PROCESSES = "processes";
  String HEARTBEAT_STATUS = "heartbeat_status";
  String HEARTBEAT_METRICS = "heartbeat_metrics";

  /**
   * A status change, versioned per bot (a receiver keeps only versions newer than the one it has).
   * {@code node}: the executor's node, or the bot's node when a gateway decided the status (null
   * while it has none). {@code process}: what the executor observed (null for a status a gateway
   * decided: unknown, unschedulable). {@code lastLines}: the bot's last output when it failed.
   * {@code replayed}: sent again by an edge node that was cut off from the gateways.
   */
  record Status(String botId, String node, BotStatus status, long version, String reason, Instant time, ProcessReport process,
      List<String> lastLines, boolean replayed) implements BotEvent {

    public Status {
      lastLines = lastLines == null ? null : List.copyOf(lastLines);
    }

    /** A status a gateway decided itself, with no process report. */
    public static Status decided(String botId, String node, BotStatus status, long version, String reason, Instant time) {
      return new Status(botId, node, status, version, reason, time, null, null, false);
    }

    /** The same event, marked as sent again. */
    public Status asReplayed() {
      return new Status(botId, node, status, version, reason, time, process, lastLines, true);
    }
  }

  /**
   * The executor's view of the bot's process at a status change. {@code pid} and {@code startedAt}
   * are null while no process runs; {@code exitCode}/{@code signal} describe the last exit;
   * {@code enforcement}: how quotas are enforced ({@code cgroup} or {@code sampling}).
   */
  record ProcessReport(Long pid, Instant startedAt, boolean adopted, int restarts, Integer exitCode, Integer signal,
      String enforcement, Instant lastHeartbeat) {
  }

  /** The samples one executor took of its running bots at {@code time}. */
  record Metrics(String node, Instant time, List<Sample> samples) implements BotEvent {

    public Metrics {
      samples = List.copyOf(samples);
    }
  }

  /**
   * CPU (percent of one core) and memory (MiB) of one bot's process tree, with what its last
   * heartbeat said (null when it sent none).
   */
  record Sample(String botId, Instant time, double cpuLoad, double memoryMb, int processes, Instant lastHeartbeat,
      String heartbeatStatus, JsonObject heartbeatMetrics) {

    public JsonObject toJson() {
      return new JsonObject().put(TIME, time.toString()).put(CPU_LOAD, cpuLoad).put(MEMORY_USAGE_MB, memoryMb)
          .put(PROCESSES, processes).put(BOT_ID, botId).put(LAST_HEARTBEAT, text(lastHeartbeat))
          .put(HEARTBEAT_STATUS, heartbeatStatus).put(HEARTBEAT_METRICS, heartbeatMetrics);
    }

    static Sample fromJson(Object element) {
      if (!(element instanceof JsonObject)) {
        throw UnreadableMessage.malformed(SAMPLES, "an array of objects");
      }
      Fields f = Fields.of(element);
      return new Sample(f.text(BOT_ID), f.instant(TIME), f.decimal(CPU_LOAD, 0), f.decimal(MEMORY_USAGE_MB, 0),
          f.optionalInt(PROCESSES) == null ? 0 : f.optionalInt(PROCESSES), f.optionalInstant(LAST_HEARTBEAT),
          f.optionalText(HEARTBEAT_STATUS), f.optionalObject(HEARTBEAT_METRICS));
    }
  }

  @Override
  default JsonObject toJson() {
    if (this instanceof Metrics metrics) {
      JsonArray samples = new JsonArray();
      metrics.samples().forEach(sample -> samples.add(sample.toJson()));
      return Contract.body().put(TYPE, "metrics").put(NODE, metrics.node()).put(TIME, metrics.time().toString()).put(SAMPLES, samples);
    }
    Status s = (Status) this;
    JsonObject json = Contract.body().put(TYPE, "status").put(BOT_ID, s.botId()).put(NODE, s.node())
        .put(STATUS, s.status().wireName()).put(VERSION, s.version()).put(REASON, s.reason());
    ProcessReport p = s.process();
    if (p != null) {
      json.put(PID, p.pid()).put(STARTED_AT, text(p.startedAt())).put(ADOPTED, p.adopted()).put(RESTARTS, p.restarts())
          .put(EXIT_CODE, p.exitCode()).put(SIGNAL, p.signal()).put(ENFORCEMENT, p.enforcement())
          .put(LAST_HEARTBEAT, text(p.lastHeartbeat()));
    }
    json.put(TIME, s.time().toString());
    if (s.lastLines() != null) {
      json.put(LAST_LINES, new JsonArray(List.copyOf(s.lastLines())));
    }
    return s.replayed() ? json.put(REPLAYED, true) : json;
  }

  /** The event in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static BotEvent fromJson(Object body) {
    Fields f = Fields.of(body);
    String type = f.text(TYPE);
    if (type.equals("metrics")) {
      return new Metrics(f.optionalText(NODE), f.instant(TIME), f.list(SAMPLES, Sample::fromJson));
    }
    if (!type.equals("status")) {
      throw UnreadableMessage.unknownType(TYPE, type);
    }
    ProcessReport process = f.json().containsKey(PID) || f.json().containsKey(RESTARTS)
        ? new ProcessReport(f.optionalNumber(PID), f.optionalInstant(STARTED_AT), f.flag(ADOPTED),
            f.optionalInt(RESTARTS) == null ? 0 : f.optionalInt(RESTARTS), f.optionalInt(EXIT_CODE), f.optionalInt(SIGNAL),
            f.optionalText(ENFORCEMENT), f.optionalInstant(LAST_HEARTBEAT))
        : null;
    return new Status(f.text(BOT_ID), f.optionalText(NODE), f.parsed(STATUS, BotStatus::parse), f.number(VERSION),
        f.optionalText(REASON), f.instant(TIME), process,
        f.json().containsKey(LAST_LINES) ? f.list(LAST_LINES, String::valueOf) : null, f.flag(REPLAYED));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
