package io.codex32.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an operator sees when starting the jar: first-start password, configuration errors, logs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupIT {

  private static final int EXIT_BAD_CONFIGURATION = 2;

  @RegisterExtension
  final GatewayProcesses gateways = new GatewayProcesses();

  @Test
  void firstStartWithoutAdminPasswordWritesAnOwnerOnlyPasswordFileThatLogsInAndLaterStartsKeepIt() throws IOException {
    Path data = gateways.dataDir();
    Map<String, String> env = GatewayProcess.env(data);
    env.remove("CODEX32_ADMIN_PASSWORD");
    Path passwordFile = data.resolve("initial-admin-password");

    GatewayProcess first = gateways.start("startup-first", data, env);
    assertThat(passwordFile).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    assertThat(first.stdout()).contains(passwordFile.toAbsolutePath().toString());
    String password = Files.readString(passwordFile).strip();
    assertThat(first.api().attemptLogin("admin", password).status()).isEqualTo(200);
    assertThat(first.stop()).isEqualTo(GatewayProcess.EXIT_SIGTERM);
    byte[] content = Files.readAllBytes(passwordFile);
    FileTime modified = Files.getLastModifiedTime(passwordFile);

    GatewayProcess second = gateways.start("startup-second", data, env);
    assertThat(Files.readAllBytes(passwordFile)).as("password file after the second start").isEqualTo(content);
    assertThat(Files.getLastModifiedTime(passwordFile)).isEqualTo(modified);
    assertThat(second.stdout()).as("the second start points to no password file").doesNotContain(passwordFile.toString());
    assertThat(second.api().attemptLogin("admin", password).status()).isEqualTo(200);
  }

  @Test
  void firstStartWithAConfiguredAdminPasswordWritesNoPasswordFileAndPointsToNone() {
    Path data = gateways.dataDir();
    GatewayProcess gateway = gateways.start("startup-configured-password", data);
    assertThat(data.resolve("initial-admin-password")).doesNotExist();
    assertThat(gateway.stdout()).doesNotContain("initial-admin-password");
    assertThat(gateway.api().attemptLogin("admin", GatewayProcess.ADMIN_PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void nonNumericHttpPortExitsWith2AndOneStderrLineNamingTheKey() {
    Path data = gateways.dataDir();
    Map<String, String> env = GatewayProcess.env(data);
    env.put("CODEX32_HTTP_PORT", "abc");

    GatewayProcess gateway = gateways.launch("startup-bad-port", data, env, List.of());

    assertThat(gateway.awaitExit()).as("exit code; stderr: %s", gateway.stderr()).isEqualTo(EXIT_BAD_CONFIGURATION);
    assertThat(nonBlankLines(gateway.stderr())).singleElement().asString()
        .startsWith("codex32: configuration error:").contains("http.port").contains("CODEX32_HTTP_PORT").contains("abc");
    assertThat(data).as("nothing is started or written before the configuration is valid").doesNotExist();
  }

  @Test
  void unknownKeyInConfFileExitsWith2AndOneStderrLineNamingTheKey() throws IOException {
    Path data = gateways.dataDir();
    Path conf = Files.writeString(gateways.tmp().resolve("gateway.json"), "{\"http\": {\"prot\": 9090}}");

    GatewayProcess gateway = gateways.launch("startup-unknown-key", data, GatewayProcess.env(data),
        List.of("--conf", conf.toString()));

    assertThat(gateway.awaitExit()).as("exit code; stderr: %s", gateway.stderr()).isEqualTo(EXIT_BAD_CONFIGURATION);
    assertThat(nonBlankLines(gateway.stderr())).singleElement().asString()
        .startsWith("codex32: configuration error:").contains("http.prot").contains("unknown");
    assertThat(data).doesNotExist();
  }

  @Test
  void clusterTlsCertificateWithoutKeyExitsWith2BeforeJoiningNamingTheMissingKey() throws IOException {
    Path data = gateways.dataDir();
    Path cert = Files.writeString(gateways.tmp().resolve("member.pem"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> env = GatewayProcess.env(data);
    env.putAll(Map.of("CODEX32_CLUSTER_ENABLED", "true", "CODEX32_CLUSTER_MEMBERS", "127.0.0.1:1",
        "CODEX32_CLUSTER_TLS_CERT", cert.toString()));

    GatewayProcess gateway = gateways.launch("startup-cluster-tls", data, env, List.of());

    assertThat(gateway.awaitExit()).as("exit code; stderr: %s", gateway.stderr()).isEqualTo(EXIT_BAD_CONFIGURATION);
    assertThat(nonBlankLines(gateway.stderr())).singleElement().asString()
        .startsWith("codex32: configuration error:").contains("cluster.tls.key");
    assertThat(data).doesNotExist();
  }

  @Test
  void stdoutCarriesJsonLogLinesWithLevelAndMessageBesidesThePlainStartBanner() {
    Path data = gateways.dataDir();
    GatewayProcess gateway = gateways.start("startup-json-logs", data);
    gateway.api().attemptLogin("admin", "wrong-password");
    assertThat(gateway.stop()).isEqualTo(GatewayProcess.EXIT_SIGTERM);

    List<String> lines = nonBlankLines(gateway.stdout());
    List<JsonObject> logs = new ArrayList<>();
    List<Integer> plainLineIndexes = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("{")) {
        JsonObject json = parse(line);
        assertThat(json.getString("level")).as("level of %s", line).isNotBlank();
        assertThat(json.getString("message")).as("message of %s", line).isNotNull();
        logs.add(json);
      } else {
        plainLineIndexes.add(i);
      }
    }
    assertThat(logs).as("JSON log lines").anySatisfy(log -> assertThat(log.getString("message")).contains("listening on port"))
        .anySatisfy(log -> assertThat(log.getString("logger_name")).isEqualTo("codex32.access"));
    assertThat(plainLineIndexes).as("plain-text lines on stdout (only the banner)").isNotEmpty();
    assertThat(lines.get(plainLineIndexes.get(0))).startsWith("Codex-32 gateway is up");
    assertThat(plainLineIndexes.get(plainLineIndexes.size() - 1) - plainLineIndexes.get(0))
        .as("the plain lines form one block: %s", lines).isEqualTo(plainLineIndexes.size() - 1);
    assertThat(gateway.stderr()).as("stderr of a normal run").isEmpty();
  }

  @Test
  void clientRequestIdIsEchoedAndAppearsInTheAccessLogLine() {
    Path data = gateways.dataDir();
    GatewayProcess gateway = gateways.start("startup-request-id", data);
    String requestId = "it-req-" + System.nanoTime();

    ApiClient.Response response = gateway.api().send("GET", "/health", null, Map.of("X-Request-Id", requestId));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.requestId()).isEqualTo(requestId);
    JsonObject accessLog = gateway.await("access-log line with request_id " + requestId, Duration.ofSeconds(10),
        () -> nonBlankLines(completeLines(gateway.stdout())).stream()
            .filter(line -> line.startsWith("{") && line.contains(requestId))
            .map(StartupIT::parse)
            .findFirst());
    assertThat(accessLog.getString("logger_name")).isEqualTo("codex32.access");
    assertThat(accessLog.getString("request_id")).isEqualTo(requestId);
    assertThat(accessLog.getString("method")).isEqualTo("GET");
    assertThat(accessLog.getString("path")).isEqualTo("/health");
    assertThat(accessLog.getInteger("status")).isEqualTo(200);
  }

  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      throw new AssertionError("stdout line starting with '{' is not JSON: " + line, e);
    }
  }

  /** Drops a last line still being written. */
  private static String completeLines(String text) {
    return text.substring(0, text.lastIndexOf('\n') + 1);
  }

  private static List<String> nonBlankLines(String text) {
    return text.lines().filter(line -> !line.isBlank()).toList();
  }
}
