package io.codex32.executor.process;

import io.codex32.error.Codex32Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Where in its bot dir a bot runs: the spec's {@code workdir}, kept inside the bot dir and created when missing. */
final class BotWorkdir {

  private BotWorkdir() {
  }

  /**
   * The real path of {@code workdir} (relative to {@code botDir}, or absolute inside it). Walks it one
   * name at a time and resolves each existing step, so neither {@code ..} nor a symlink anywhere
   * along the way can lead outside; missing steps are created as directories.
   */
  static Path resolve(Path botDir, String workdir) {
    Path base = realPath(botDir);
    Path current = base;
    for (Path name : relativePart(botDir, base, workdir)) {
      current = current.resolve(name);
      if (Files.exists(current)) {
        Path real = realPath(current);
        if (!real.startsWith(base)) {
          throw outside(workdir, "it leads through a symlink to " + real);
        }
        if (!Files.isDirectory(real)) {
          throw Codex32Exception.unprocessable("workdir_not_a_directory", "workdir '" + workdir + "' is not a directory");
        }
        current = real;
      } else if (Files.isSymbolicLink(current)) {
        // A dangling link: creating "through" it would create its target, wherever that is.
        throw outside(workdir, "it leads through a dangling symlink");
      } else {
        create(current);
      }
    }
    return current;
  }

  private static Path relativePart(Path botDir, Path base, String workdir) {
    Path path;
    try {
      path = Path.of(workdir).normalize();
    } catch (InvalidPathException e) {
      throw outside(workdir, "it is not a valid path");
    }
    if (path.isAbsolute()) {
      Path configured = botDir.toAbsolutePath().normalize();
      if (path.startsWith(configured)) {
        return configured.relativize(path);
      }
      if (path.startsWith(base)) {
        return base.relativize(path);
      }
      throw outside(workdir, "it is an absolute path elsewhere");
    }
    if (path.startsWith("..")) {
      throw outside(workdir, "it climbs out with '..'");
    }
    return path;
  }

  private static void create(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // Created meanwhile by someone else: fine if it is a real directory, refused if it is a link.
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw outside(dir.toString(), "it appeared meanwhile as something else than a directory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create workdir " + dir, e);
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }

  private static Codex32Exception outside(String workdir, String why) {
    return Codex32Exception.unprocessable("workdir_outside_bot_dir", "workdir '" + workdir + "' must stay inside the bot's directory: "
        + why);
  }
}
