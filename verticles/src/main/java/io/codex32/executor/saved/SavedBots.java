package io.codex32.executor.saved;

import io.codex32.bot.BotSpec;
import io.codex32.executor.settings.BotPaths;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node remembers of each bot it was given, in the bot's directory, so that it can carry on
 * alone after a restart: {@code spec.json}, {@code desired} ({@code running} or {@code stopped}: the
 * last operator decision) and {@code bot-token}, the token a gateway delivered for the bot (owner
 * read/write only). Blocking file work: call off the event loop.
 */
public final class SavedBots {

  private static final Logger LOG = LoggerFactory.getLogger(SavedBots.class);
  private static final String SPEC = "spec.json";
  private static final String DESIRED = "desired";
  private static final String TOKEN = "bot-token";
  private static final String RUNNING = "running";

  /** A bot found on disk: how to run it, whether it should run, and the token it was delivered (or null). */
  public record SavedBot(BotSpec spec, boolean wantRunning, String token) {
  }

  private final BotPaths paths;

  public SavedBots(BotPaths paths) {
    this.paths = paths;
  }

  public void save(BotSpec spec, String deliveredToken) throws IOException {
    Path dir = paths.botDir(spec.id());
    Files.createDirectories(dir);
    write(dir.resolve(SPEC), spec.toJson().encodePrettily());
    write(dir.resolve(DESIRED), RUNNING);
    if (deliveredToken != null) {
      Path tmp = dir.resolve(TOKEN + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, deliveredToken);
      Files.move(tmp, dir.resolve(TOKEN), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** An operator stopped the bot: a restarted node leaves it stopped. */
  public void stopped(String botId) throws IOException {
    Path dir = paths.botDir(botId);
    if (Files.isDirectory(dir)) {
      write(dir.resolve(DESIRED), "stopped");
    }
  }

  /** The bot was removed from the node: nothing of it is started again, and its token goes. */
  public void forget(String botId) throws IOException {
    Files.deleteIfExists(paths.botDir(botId).resolve(DESIRED));
    Files.deleteIfExists(paths.botDir(botId).resolve(TOKEN));
  }

  /** Every bot with a readable spec; a directory that cannot be read is skipped with a warning. */
  public List<SavedBot> list() throws IOException {
    List<SavedBot> found = new ArrayList<>();
    if (!Files.isDirectory(paths.botsRoot())) {
      return found;
    }
    try (Stream<Path> dirs = Files.list(paths.botsRoot())) {
      for (Path dir : dirs.toList()) {
        Path spec = dir.resolve(SPEC);
        if (!Files.isRegularFile(spec)) {
          continue;
        }
        try {
          found.add(new SavedBot(BotSpec.fromJson(new JsonObject(Files.readString(spec))),
              RUNNING.equals(readOrNull(dir.resolve(DESIRED))), readOrNull(dir.resolve(TOKEN))));
        } catch (IOException | RuntimeException e) {
          LOG.warn("ignoring bot directory {}: {}", dir, e.getMessage());
        }
      }
    }
    return found;
  }

  private static String readOrNull(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
  }

  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
