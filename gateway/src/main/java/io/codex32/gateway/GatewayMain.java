package io.codex32.gateway;

import io.codex32.cluster.ClusteredVertx;
import io.codex32.config.ConfigException;
import io.codex32.config.GatewayConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.codex32.store.DataDirLockedException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codex32-gateway.jar [--conf FILE]}: the gateway with the embedded store. Exit
 * codes: 2 bad configuration, 3 data directory in use, 1 any other start failure.
 */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "conf/logback.xml");
    }
    GatewayConfig config;
    try {
      config = GatewayConfig.load(Arrays.asList(args), System.getenv());
    } catch (ConfigException e) {
      System.err.println("codex32: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(GatewayMain.class);
    Vertx vertx;
    try {
      vertx = config.cluster().enabled() ? ClusteredVertx.start(new VertxOptions(), config.cluster(), false).await(2, TimeUnit.MINUTES)
          : VertxFactory.create(new VertxOptions());
    } catch (Exception e) {
      log.error("could not join the cluster", e);
      System.err.println("codex32: could not join the cluster: " + e.getMessage());
      System.exit(1);
      return;
    }
    try {
      GatewayRuntime runtime = GatewayRuntime.start(vertx, config).await(2, TimeUnit.MINUTES);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> runtime.close().transform(v -> vertx.close()), "codex32-shutdown"));
      announce(log, config, runtime);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && !(e instanceof DataDirLockedException) ? e.getCause() : e;
      if (e instanceof DataDirLockedException || cause instanceof DataDirLockedException) {
        System.err.println("codex32: " + (cause instanceof DataDirLockedException ? cause : e).getMessage());
        vertx.close();
        System.exit(3);
      }
      log.error("gateway failed to start", e);
      System.err.println("codex32: failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
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
