package io.codex32.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jar on {@code store=postgres}: moving a file deployment there with export and import, and refusing a newer schema. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresStoreIT {

  private static final int EXIT_BAD_CONFIGURATION = 2;

  @RegisterExtension
  final GatewayProcesses gateways = new GatewayProcesses();

  @Test
  void aFileDeploymentExportedAndImportedIntoPostgresIsServedByAPostgresGateway() throws IOException {
    Path fileData = gateways.tmp().resolve("file-data");
    GatewayProcess fileGateway = gateways.start("file-store", fileData);
    ApiClient admin = fileGateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    JsonObject spec = new JsonObject().put("id", "weather-station").put("name", "Weather station")
        .put("command", new JsonArray().add("python3").add("weather.py"));
    assertThat(admin.post("/api/v1/bots", spec).status()).isEqualTo(201);
    assertThat(admin.send("PATCH", "/api/v1/bots/weather-station", new JsonObject().put("description", "moved along"),
        Map.of("If-Match", "\"1\"")).status()).isEqualTo(200);
    assertThat(admin.post("/api/v1/users", new JsonObject().put("username", "vera").put("password", "viewer-pass-1")
        .put("role", "viewer")).status()).isEqualTo(201);
    fileGateway.stop();

    GatewayProcess export = gateways.launch("export", fileData, GatewayProcess.env(fileData), List.of("export"));
    assertThat(export.awaitExit()).as("export exit; stderr: %s", export.stderr()).isZero();
    assertThat(export.stderr()).contains("exported").contains(fileData.toAbsolutePath().toString());
    Path dump = Files.copy(export.stdoutFile(), gateways.tmp().resolve("dump.jsonl"));

    Path pgData = gateways.tmp().resolve("pg-data");
    Files.createDirectories(pgData);
    Map<String, String> pgEnv = GatewayProcess.env(pgData);
    pgEnv.put("CODEX32_STORE", "postgres");
    pgEnv.put("CODEX32_PG_URL", TestPostgres.shared().createDatabase("moved_from_file"));
    GatewayProcess imported = gateways.launch("import", pgData, pgEnv, List.of("import"), dump);
    assertThat(imported.awaitExit()).as("import exit; stderr: %s", imported.stderr()).isZero();
    assertThat(imported.stderr()).contains("imported").contains("postgres store");

    GatewayProcess pgGateway = gateways.start("postgres-store", pgData, pgEnv);
    ApiClient pgAdmin = pgGateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    JsonObject bot = pgAdmin.get("/api/v1/bots/weather-station").json();
    assertThat(bot.getString("description")).isEqualTo("moved along");
    assertThat(bot.getLong("revision")).as("revisions survive the move, so ETags stay meaningful").isEqualTo(2);
    assertThat(pgGateway.api().attemptLogin("vera", "viewer-pass-1").status()).isEqualTo(200);
    JsonObject audit = pgAdmin.get("/api/v1/audit/verify").json();
    assertThat(audit.getBoolean("intact")).as("audit chain after the move: %s", audit).isTrue();
    assertThat(audit.getInteger("records")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aDatabaseMigratedByANewerGatewayEndsTheStartWithExit2AndOneLine() {
    TestPostgres postgres = TestPostgres.shared();
    String url = postgres.createDatabase("from_the_future");
    String database = url.substring(url.lastIndexOf('/') + 1);
    postgres.execute(database, "CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL,"
        + " applied_at timestamptz NOT NULL DEFAULT now())", "INSERT INTO schema_version (version, name) VALUES (999, 'future')");
    Path data = gateways.dataDir();
    Map<String, String> env = GatewayProcess.env(data);
    env.put("CODEX32_STORE", "postgres");
    env.put("CODEX32_PG_URL", url);

    GatewayProcess gateway = gateways.launch("newer-schema", data, env, List.of());

    assertThat(gateway.awaitExit()).as("exit code; stderr: %s", gateway.stderr()).isEqualTo(EXIT_BAD_CONFIGURATION);
    assertThat(gateway.stderr().lines().filter(line -> !line.isBlank()).toList()).singleElement().asString()
        .startsWith("codex32: PostgreSQL database 127.0.0.1:" + postgres.port() + "/" + database + " has schema version 999");
    List<String> tables = new ArrayList<>();
    postgres.query(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", row -> tables.add(row.getString(1)));
    assertThat(tables).as("nothing created in a database the gateway does not know").containsExactly("schema_version");
  }
}
