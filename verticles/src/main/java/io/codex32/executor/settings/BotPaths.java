package io.codex32.executor.settings;

import java.nio.file.Path;

/** Where a bot lives on its node: {@code <data>/bots/<id>/} with its process record and logs. */
public record BotPaths(Path botsRoot) {

  public static BotPaths under(Path dataDir) {
    return new BotPaths(dataDir.resolve("bots"));
  }

  public Path botDir(String botId) {
    return botsRoot.resolve(botId);
  }

  public Path logsDir(String botId) {
    return botDir(botId).resolve("logs");
  }

  public Path stdout(String botId) {
    return logsDir(botId).resolve("stdout.log");
  }

  public Path stderr(String botId) {
    return logsDir(botId).resolve("stderr.log");
  }

  /** pid and start time of the bot's running process, so a restarted executor can adopt it. */
  public Path processRecord(String botId) {
    return botDir(botId).resolve("process.json");
  }
}
