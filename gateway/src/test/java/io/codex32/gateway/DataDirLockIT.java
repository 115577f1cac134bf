package io.codex32.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two gateways on one data directory: the second is turned away, the first is not disturbed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DataDirLockIT {

  private static final int EXIT_DATA_DIR_IN_USE = 3;

  @RegisterExtension
  final GatewayProcesses gateways = new GatewayProcesses();

  @Test
  void secondGatewayOnABusyDataDirExitsWith3NamingTheDirAndTheFirstKeepsServing() {
    Path data = gateways.dataDir();
    GatewayProcess first = gateways.start("lock-first", data);
    ApiClient api = first.api().login("admin", GatewayProcess.ADMIN_PASSWORD);

    GatewayProcess second = gateways.launch("lock-second", data, GatewayProcess.env(data), List.of());
    int exit = second.awaitExit();

    assertThat(exit).as("exit code of the second gateway; stderr: %s", second.stderr()).isEqualTo(EXIT_DATA_DIR_IN_USE);
    assertThat(second.stderr()).contains(data.toAbsolutePath().toString()).contains("is in use")
        .as("names the holder's pid").contains("pid " + first.pid());
    assertThat(first.isAlive()).isTrue();
    assertThat(first.healthStatus("/health")).isEqualTo(200);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/bots", bot("still-writable")).status()).as("the first gateway still accepts writes").isEqualTo(201);
  }

  @Test
  void afterTheHolderStopsGracefullyANewGatewayStartsOnTheSameDataDirWithItsData() {
    Path data = gateways.dataDir();
    GatewayProcess first = gateways.start("lock-holder", data);
    assertThat(first.api().login("admin", GatewayProcess.ADMIN_PASSWORD).post("/api/v1/bots", bot("kept")).status()).isEqualTo(201);
    GatewayProcess refused = gateways.launch("lock-refused", data, GatewayProcess.env(data), List.of());
    assertThat(refused.awaitExit()).isEqualTo(EXIT_DATA_DIR_IN_USE);

    assertThat(first.stop()).as("exit value after SIGTERM").isEqualTo(GatewayProcess.EXIT_SIGTERM);

    GatewayProcess next = gateways.start("lock-next", data);
    ApiClient api = next.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    assertThat(api.get("/api/v1/bots/kept").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/bots", bot("after-restart")).status()).isEqualTo(201);
  }

  private static JsonObject bot(String id) {
    return new JsonObject().put("id", id).put("command", new JsonArray().add("sleep").add("60"));
  }
}
