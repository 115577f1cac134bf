package io.codex32.gateway;

import io.codex32.cluster.ClusteredVertx;
import io.codex32.config.ConfigException;
import io.codex32.config.GatewayConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codex32-gateway.jar [export|import] [--conf FILE]}: the gateway, or with
 * {@code export}/{@code import} a copy of its store to stdout or from stdin ({@link StoreCommand}).
 * Exit codes: 2 bad configuration or a database of a newer gateway, 3 data directory in use, 1 any
 * other failure (see {@link ExitCodes}).
 */
public final class GatewayMain {

  private static final long SHUTDOWN_WAIT_S = 30;

  private GatewayMain() {
  }

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    String command = !arguments.isEmpty() && StoreCommand.NAMES.contains(arguments.get(0)) ? arguments.get(0) : null;
    if (System.getProperty("logback.configurationFile") == null) {
      // The store commands write the dump to stdout: their logs must not.
      System.setProperty("logback.configurationFile", command == null ? "conf/logback.xml" : "conf/logback-cli.xml");
    }
    GatewayConfig config;
    try {
      config = GatewayConfig.load(command == null ? arguments : arguments.subList(1, arguments.size()), System.getenv());
    } catch (ConfigException e) {
      System.exit(ExitCodes.report("configuration error", e));
      return;
    }
    if (command != null) {
      System.exit(StoreCommand.run(command, config, System.out));
      return;
    }
    Logger log = LoggerFactory.getLogger(GatewayMain.class);
    Vertx vertx;
    try {
      vertx = config.cluster().enabled() ? ClusteredVertx.start(new VertxOptions(), config.cluster(), false).await(2, TimeUnit.MINUTES)
          : VertxFactory.create(new VertxOptions());
    } catch (Exception e) {
      log.error("could not join the cluster", e);
      System.exit(ExitCodes.report("could not join the cluster", e));
      return;
    }
    try {
      GatewayRuntime runtime = GatewayRuntime.start(vertx, config).await(2, TimeUnit.MINUTES);
      // waited for: a clustered gateway then leaves the cluster at once instead of looking crashed
      Runtime.getRuntime().addShutdownHook(new Thread(() -> runtime.close().transform(v -> vertx.close())
          .toCompletionStage().toCompletableFuture().completeOnTimeout(null, SHUTDOWN_WAIT_S, TimeUnit.SECONDS).join(),
          "codex32-shutdown"));
      announce(log, config, runtime);
    } catch (Exception e) {
      int code = ExitCodes.report("failed to start", e);
      if (code == ExitCodes.FAILED) {
        log.error("gateway failed to start", e);
      }
      vertx.close();
      System.exit(code);
    }
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
