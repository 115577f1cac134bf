package io.codex32.edge;

import io.codex32.config.EdgeNodeConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.EdgeRuntime;
import io.codex32.runtime.NodeProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codex32-edge-node.jar [--conf FILE]}: an edge node ({@link EdgeRuntime}). Exit
 * codes as the gateway's: 2 bad configuration, 3 data directory in use, 1 any other failure.
 */
public final class EdgeNodeMain {

  private EdgeNodeMain() {
  }

  public static void main(String[] args) {
    NodeProcess process = new NodeProcess("codex32-edge", "conf/logback-edge.xml");
    EdgeNodeConfig config = process.config(() -> EdgeNodeConfig.load(Arrays.asList(args), System.getenv()));
    // never clustered: the executor keeps its bots whether or not a gateway is reachable
    Vertx vertx = VertxFactory.create(new VertxOptions());
    EdgeRuntime runtime = process.start(vertx, started -> EdgeRuntime.start(started, config), EdgeRuntime::close);
    LoggerFactory.getLogger(EdgeNodeMain.class).info("Codex-32 edge node '{}' listening on port {}", config.nodeId(), runtime.httpPort());
    System.out.println("Codex-32 edge node '" + config.nodeId() + "' is up on port " + runtime.httpPort());
  }
}
