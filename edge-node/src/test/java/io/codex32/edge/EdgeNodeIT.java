package io.codex32.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The edge-node jar starts, says where it listens, and answers health, metrics and the dashboard. */
@Timeout(120)
class EdgeNodeIT {

  private static final Pattern UP = Pattern.compile("edge node '([a-z0-9-]+)' is up on port (\\d+)");

  @TempDir
  Path dataDir;
  private Process process;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private Process start(String... env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("codex32.edge.jar"));
    builder.environment().put("CODEX32_DATA_DIR", dataDir.toString());
    builder.environment().put("CODEX32_HTTP_HOST", "127.0.0.1");
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    builder.redirectErrorStream(true);
    return builder.start();
  }

  /** Reads the process output until the start announcement; returns the port. */
  private static int awaitPort(Process process, String node) throws Exception {
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          Matcher up = UP.matcher(line);
          if (up.find()) {
            assertThat(up.group(1)).isEqualTo(node);
            return Integer.parseInt(up.group(2));
          }
        }
        throw new IllegalStateException("edge node exited before announcing its port");
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    return port.get(60, TimeUnit.SECONDS);
  }

  @Test
  void answersHealthAndMetricsUnderItsNodeId() throws Exception {
    process = start("CODEX32_HTTP_PORT", "0", "CODEX32_NODE_ID", "pi-kitchen");
    int port = awaitPort(process, "pi-kitchen");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"up\"").contains("\"node\":\"pi-kitchen\"");

    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");

    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/bots")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
  }

  @Test
  void servesTheDashboardUnderTheGatewaysSecurityPolicy() throws Exception {
    process = start("CODEX32_HTTP_PORT", "0");
    int port = awaitPort(process, "local");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
    assertThat(page.body()).contains("/js/main.js");

    for (String file : new String[] {"/js/main.js", "/vendor/chart.js/chart.umd.min.js"}) {
      HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + file)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(script.statusCode()).as(file).isEqualTo(200);
      assertThat(script.headers().firstValue("Content-Type")).as(file).hasValue("text/javascript; charset=utf-8");
    }
  }

  @Test
  void badConfigurationStopsWithExitCodeTwoNamingTheKey() throws Exception {
    process = start("CODEX32_NODE_ID", "Not A Slug");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).contains("node.id");
  }

  @Test
  void duplicateGpioPinsStopTheStartWithExitCodeTwoNamingTheKey() throws Exception {
    process = start("CODEX32_GPIO_PROVIDER", "mock", "CODEX32_GPIO_PINS",
        "[{\"name\": \"relay\", \"bcm\": 17, \"mode\": \"output\"}, {\"name\": \"relay\", \"bcm\": 18, \"mode\": \"output\"}]");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).contains("gpio.pins[1].name");
  }
}
