package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files and Chart.js come from the jar, typed, revalidated, and nothing else does. */
@Timeout(120)
class DashboardRoutesTest {

  private static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

  @TempDir
  static Path dataDir;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theDashboardPageLoadsOnlyScriptsAndStylesFromFilesUnderTheStrictPolicy() {
    for (String page : List.of("/", "/index.html", "/docs/")) {
      Response response = gateway.get(page, null);
      assertThat(response.status()).as(page).isEqualTo(200);
      assertThat(response.header("Content-Type")).as(page).startsWith("text/html");
      assertThat(response.header("Content-Security-Policy")).as(page).contains("script-src 'self'").contains("style-src 'self'");
      Matcher script = SCRIPT_TAG.matcher(response.body());
      while (script.find()) {
        assertThat(script.group(1)).as("every script of %s is a file", page).contains("src=");
      }
      assertThat(response.body()).as(page).doesNotContain("<style").doesNotContain(" style=");
    }
    assertThat(gateway.get("/", null).body()).contains("<script type=\"module\" src=\"/js/main.js\">");
  }

  @Test
  void modulesStylesAndChartJsAreServedWithTheirTypes() {
    assertThat(gateway.get("/js/main.js", null).header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(gateway.get("/js/pages/fleet.js", null).body()).contains("export function render");
    assertThat(gateway.get("/css/app.css", null).header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(gateway.get("/favicon.svg", null).header("Content-Type")).isEqualTo("image/svg+xml");
    Response chart = gateway.get("/vendor/chart.js/chart.umd.min.js", null);
    assertThat(chart.status()).isEqualTo(200);
    assertThat(chart.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(chart.body()).contains("Chart.js v4");
    assertThat(gateway.get("/docs/swagger-ui/swagger-ui-bundle.js", null).status()).isEqualTo(200);
  }

  @Test
  void anUnchangedFileIsRevalidatedWithNotModified() {
    Response first = gateway.get("/js/main.js", null);
    assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
    String etag = first.header("ETag");
    assertThat(etag).matches("\"[0-9a-f]{24}\"");

    Response again = gateway.send("GET", "/js/main.js", (String) null, Map.of("If-None-Match", etag));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(gateway.send("GET", "/js/main.js", (String) null, Map.of("If-None-Match", "\"other\"")).status()).isEqualTo(200);
  }

  @Test
  void headAnswersTheLengthWithoutABody() {
    Response head = gateway.send("HEAD", "/css/app.css", (String) null, Map.of());
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(Integer.parseInt(head.header("Content-Length"))).isEqualTo(gateway.get("/css/app.css", null).body().length());
  }

  @Test
  void missingHiddenUntypedAndOutsideFilesAreNotFound() {
    for (String path : List.of("/missing.js", "/js/", "/.hidden.js", "/js/main", "/conf/gateway.json", "/js/../../conf/gateway.json",
        "/%2e%2e/conf/gateway.json", "/vendor/chart.js/../../../../../../conf/gateway.json", "/io/codex32/http/BundledFiles.class")) {
      assertThat(gateway.get(path, null).status()).as(path).isEqualTo(404);
    }
  }
}
