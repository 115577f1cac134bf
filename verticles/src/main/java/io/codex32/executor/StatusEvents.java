package io.codex32.executor;

import io.codex32.bot.BotStatus;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.BotLogLine;
import io.codex32.executor.lifecycle.BotLifecycle;
import io.codex32.executor.logs.BotLogs;
import io.codex32.executor.process.BotCgroups;
import io.codex32.executor.process.ExitStatus;
import io.codex32.executor.process.RunningProcess;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.function.Consumer;

/** Publishes each status a bot moves to on {@code codex32.bots.events}, with what the executor sees of its process. */
final class StatusEvents implements Consumer<BotLifecycle> {

  /** Lines of its output a failed bot's event carries. */
  private static final int FAILURE_LOG_LINES = 20;

  private final EventBus bus;
  private final String nodeId;
  private final BotCgroups cgroups;
  private final BotLogs logs;

  StatusEvents(EventBus bus, String nodeId, BotCgroups cgroups, BotLogs logs) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.cgroups = cgroups;
    this.logs = logs;
  }

  @Override
  public void accept(BotLifecycle bot) {
    RunningProcess process = bot.process();
    ExitStatus exit = bot.lastExit();
    BotEvent.ProcessReport report = new BotEvent.ProcessReport(process == null ? null : process.pid(),
        process == null ? null : process.startedAt(), process != null && process.adopted(), bot.restarts(),
        exit == null ? null : exit.code(), exit == null ? null : exit.signal(), cgroups.enforcement(), bot.lastHeartbeat());
    List<String> lastLines = bot.status() == BotStatus.FAILED
        ? logs.tail(bot.id(), FAILURE_LOG_LINES, null).stream().map(BotLogLine::line).toList() : null;
    bus.publish(Addresses.BOT_EVENTS, new BotEvent.Status(bot.id(), nodeId, bot.status(), bot.version(), bot.reason(), bot.now(),
        report, lastLines, false).toJson());
  }
}
