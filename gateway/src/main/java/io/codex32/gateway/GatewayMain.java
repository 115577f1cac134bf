package io.codex32.gateway;

import io.codex32.cluster.ClusteredVertx;
import io.codex32.config.GatewayConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.codex32.runtime.NodeProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codex32-gateway.jar [export|import] [--conf FILE]}: the gateway, or with
 * {@code export}/{@code import} a copy of its store to stdout or from stdin ({@link StoreCommand}).
 * Exit codes: 2 bad configuration or a database of a newer gateway, 3 data directory in use, 1 any
 * other failure (see {@link io.codex32.runtime.ExitCodes}).
 */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    String command = !arguments.isEmpty() && StoreCommand.NAMES.contains(arguments.get(0)) ? arguments.get(0) : null;
    // The store commands write the dump to stdout: their logs must not.
    NodeProcess process = new NodeProcess("codex32", command == null ? "conf/logback.xml" : "conf/logback-cli.xml");
    GatewayConfig config = process.config(
        () -> GatewayConfig.load(command == null ? arguments : arguments.subList(1, arguments.size()), System.getenv()));
    if (command != null) {
      System.exit(StoreCommand.run(command, config, System.out));
      return;
    }
    Vertx vertx = process.vertx("could not join the cluster", () -> config.cluster().enabled()
        ? ClusteredVertx.start(new VertxOptions(), config.cluster(), false)
        : Future.succeededFuture(VertxFactory.create(new VertxOptions())));
    GatewayRuntime runtime = process.start(vertx, started -> GatewayRuntime.start(started, config), GatewayRuntime::close);
    announce(LoggerFactory.getLogger(GatewayMain.class), config, runtime);
  }

  private static void announce(Logger log, GatewayConfig config, GatewayRuntime runtime) {
    String url = "http://localhost:" + runtime.httpPort();
    log.info("Codex-32 gateway listening on port {} (data dir {})", runtime.httpPort(), config.dataDir().toAbsolutePath().normalize());
    StringBuilder banner = new StringBuilder()
        .append("\nCodex-32 gateway is up: ").append(url).append("  (API docs: ").append(url).append("/docs/)\n");
    if (runtime.generatedAdminPassword() != null) {
      log.warn("first start: generated the password of user 'admin'; it is in {}", config.dataDir().resolve("initial-admin-password"));
      banner.append("First start: log in as 'admin' with the password in ")
          .append(config.dataDir().resolve("initial-admin-password").toAbsolutePath().normalize()).append('\n');
    } else {
      banner.append("Log in with an existing user (first admin: 'admin').\n");
    }
    banner.append("  curl -s -X POST ").append(url).append("/api/v1/auth/login -H 'Content-Type: application/json' \\\n")
        .append("       -d '{\"username\":\"admin\",\"password\":\"...\"}'\n");
    System.out.println(banner);
  }
}
