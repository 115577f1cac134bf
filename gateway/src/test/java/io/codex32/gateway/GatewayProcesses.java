package io.codex32.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The per-test setup every gateway IT needs, as a JUnit 5 extension: register it with
 * {@code @RegisterExtension final GatewayProcesses gateways = new GatewayProcesses();}. Each test
 * gets a fresh temporary directory; every gateway started or launched through this extension is
 * killed after the test, then the directory is deleted.
 */
final class GatewayProcesses implements BeforeEachCallback, AfterEachCallback {

  private final List<GatewayProcess> started = new CopyOnWriteArrayList<>();
  private Path tmp;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    tmp = Files.createTempDirectory("codex32-it-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      started.forEach(GatewayProcess::close);
      started.clear();
    } finally {
      deleteTree(tmp);
    }
  }

  /** This test's temporary directory, for data directories, configuration files and copies. */
  Path tmp() {
    if (tmp == null) {
      throw new IllegalStateException("GatewayProcesses must be registered with @RegisterExtension");
    }
    return tmp;
  }

  /** {@code <tmp>/data}: the data directory of a test that needs only one. Not created. */
  Path dataDir() {
    return tmp().resolve("data");
  }

  /** {@link GatewayProcess#start(String, Path)}, killed after the test. */
  GatewayProcess start(String name, Path dataDir) {
    return track(GatewayProcess.start(name, dataDir));
  }

  /** {@link GatewayProcess#start(String, Path, Map)}, killed after the test. */
  GatewayProcess start(String name, Path dataDir, Map<String, String> env) {
    return track(GatewayProcess.start(name, dataDir, env));
  }

  /** {@link GatewayProcess#launch(String, Path, Map, List)}, killed after the test. */
  GatewayProcess launch(String name, Path dataDir, Map<String, String> env, List<String> args) {
    return track(GatewayProcess.launch(name, dataDir, env, args));
  }

  /** {@link GatewayProcess#launch(String, Path, Map, List, Path)}, killed after the test. */
  GatewayProcess launch(String name, Path dataDir, Map<String, String> env, List<String> args, Path stdin) {
    return track(GatewayProcess.launch(name, dataDir, env, args, stdin));
  }

  private GatewayProcess track(GatewayProcess gateway) {
    started.add(gateway);
    return gateway;
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + path, e);
        }
      });
    }
  }
}
