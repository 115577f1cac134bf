package io.codex32.gateway;

import io.codex32.config.GatewayConfig;
import io.codex32.config.StoreKind;
import io.codex32.runtime.ConfiguredStore;
import io.codex32.runtime.ExitCodes;
import io.codex32.store.DocumentStore;
import io.codex32.store.StoreDump;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code export} writes every document of the configured store to stdout as a
 * {@link StoreDump}; {@code import} reads one from stdin into the configured store, which must be
 * empty. They open the store as the gateway does (the file store's lock, PostgreSQL's migrations),
 * so a file store must not be in use by a running gateway.
 */
final class StoreCommand {

  static final Set<String> NAMES = Set.of("export", "import");
  private static final long OPEN_TIMEOUT_S = 120;

  private StoreCommand() {
  }

  /** Runs the command and returns the process's exit code. */
  static int run(String name, GatewayConfig config, PrintStream stdout) {
    Vertx vertx = Vertx.vertx();
    DocumentStore store = null;
    String where = config.store() == StoreKind.FILE ? "file store in " + config.dataDir().toAbsolutePath().normalize()
        : "postgres store " + config.pg().redactedUrl();
    try {
      store = ConfiguredStore.open(vertx, config).await(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
      if (name.equals("export")) {
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        long count = StoreDump.export(store, out, Instant.now());
        System.err.println("codex32: exported " + count + " documents from the " + where);
      } else {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long count = StoreDump.importInto(store, in);
        System.err.println("codex32: imported " + count + " documents into the " + where);
      }
      return 0;
    } catch (Exception e) {
      return ExitCodes.report("codex32", name + " failed", e);
    } finally {
      close(vertx, store);
    }
  }

  private static void close(Vertx vertx, DocumentStore store) {
    try {
      if (store != null) {
        store.close().await(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
      }
      vertx.close().await(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("codex32: closing the store failed: " + e.getMessage());
    }
  }
}
