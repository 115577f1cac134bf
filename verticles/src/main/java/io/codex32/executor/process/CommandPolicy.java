package io.codex32.executor.process;

import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.error.Codex32Exception;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides which executable a bot's {@code command[0]} means and whether the node allows it. A bare
 * name is looked up only in the node's fixed search path (never the gateway's or a caller's PATH);
 * anything with a slash must be an absolute path. Allow-list entries are bare names or absolute
 * paths (see {@link #allowed}).
 */
final class CommandPolicy {

  static final String ALLOWED_KEY = "executor.allowed_commands";
  static final String ALLOWED_ENV = "CODEX32_EXECUTOR_ALLOWED_COMMANDS";

  private final String nodeId;
  private final List<String> allowed;
  private final List<Path> searchPath;

  CommandPolicy(ExecutorSettings settings) {
    this.nodeId = settings.nodeId();
    this.allowed = settings.allowedCommands();
    this.searchPath = settings.searchPath().stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** The executable to run for {@code command}, or 422 {@code command_not_found} / {@code command_not_allowed}. */
  Path resolve(String command) {
    Path executable = locate(command);
    if (!allowed(executable)) {
      String why = allowed.isEmpty() ? "no command is allowed on node '" + nodeId + "' (" + ALLOWED_KEY + " is empty)"
          : "it is not in " + ALLOWED_KEY + " of node '" + nodeId + "'";
      throw Codex32Exception.unprocessable("command_not_allowed", "command '" + command + "' (" + executable + ") may not run: " + why
          + "; add it to " + ALLOWED_KEY + " (" + ALLOWED_ENV + ")");
    }
    return executable;
  }

  /** The search path as the PATH variable a bot gets. */
  String pathVariable() {
    return searchPath.stream().map(Path::toString).collect(Collectors.joining(":"));
  }

  private Path locate(String command) {
    if (command.isEmpty() || command.indexOf('\0') >= 0) {
      throw notFound(command, "it is not a file name");
    }
    if (command.indexOf('/') < 0) {
      return searchPath.stream().map(dir -> dir.resolve(command)).filter(CommandPolicy::isExecutableFile).findFirst()
          .orElseThrow(() -> notFound(command, "it is not on the executor's search path " + pathVariable()));
    }
    Path path;
    try {
      path = Path.of(command);
    } catch (InvalidPathException e) {
      throw notFound(command, "it is not a valid path");
    }
    if (!path.isAbsolute()) {
      // Relative to what? The workdir belongs to the bot, so a relative path would let it choose what runs.
      throw Codex32Exception.unprocessable("command_not_allowed", "command '" + command
          + "' must be a bare name (looked up on the executor's search path) or an absolute path; see " + ALLOWED_KEY);
    }
    if (!isExecutableFile(path)) {
      throw notFound(command, "it is not an executable file");
    }
    return path.normalize();
  }

  /**
   * A bare-name entry allows that file name, but only from a search-path directory: otherwise
   * allowing {@code python3} would allow any file named python3, such as one a bot wrote itself. An
   * absolute entry allows the file it names, compared by real path (so {@code /usr/bin/python3}
   * also allows running it through a symlink pointing at the same file).
   */
  private boolean allowed(Path executable) {
    Path real = realPath(executable);
    boolean inSearchPath = searchPath.contains(executable.getParent());
    for (String entry : allowed) {
      if (entry.indexOf('/') < 0) {
        if (inSearchPath && entry.equals(executable.getFileName().toString())) {
          return true;
        }
      } else if (entry.startsWith("/")) {
        Path listed = Path.of(entry).normalize();
        if (listed.equals(executable) || (real != null && real.equals(realPath(listed)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException | InvalidPathException e) {
      return null;
    }
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static Codex32Exception notFound(String command, String why) {
    return Codex32Exception.unprocessable("command_not_found", "command '" + command + "' cannot be run: " + why);
  }
}
