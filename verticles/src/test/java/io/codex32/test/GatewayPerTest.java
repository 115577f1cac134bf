package io.codex32.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link TestGateway} for each test on its own data directory, with an admin token;
 * afterwards the gateway is closed, the bots it leaves running are killed and the directory is
 * deleted. Register it as a {@code @RegisterExtension} field.
 */
public final class GatewayPerTest implements BeforeEachCallback, AfterEachCallback {

  private final Function<Path, TestGateway> starter;
  private Path dataDir;
  private TestGateway gateway;
  private String admin;

  private GatewayPerTest(Function<Path, TestGateway> starter) {
    this.starter = starter;
  }

  /** A gateway without an executor: bots are only records. */
  public static GatewayPerTest plain() {
    return new GatewayPerTest(TestGateway::start);
  }

  /** A gateway whose own executor runs bot processes. */
  public static GatewayPerTest withExecutor() {
    return new GatewayPerTest(TestGateway::withExecutor);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("codex32-gateway-");
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      if (gateway != null) {
        gateway.closeWithBots();
      }
    } finally {
      delete(dataDir);
    }
  }

  public TestGateway gateway() {
    return gateway;
  }

  /** A token of the admin user, taken when the gateway started. */
  public String admin() {
    return admin;
  }

  /** Closes the gateway and starts a new one on the same data directory, as an operator's restart does. */
  public TestGateway restart() {
    gateway.close();
    gateway = null;
    start();
    return gateway;
  }

  private void start() {
    gateway = starter.apply(dataDir);
    admin = gateway.adminToken();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
