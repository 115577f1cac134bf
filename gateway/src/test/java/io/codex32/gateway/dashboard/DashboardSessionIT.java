package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.GatewayProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An open dashboard outlives its access token: it refreshes the token and keeps its live connection. */
@Timeout(300)
class DashboardSessionIT {

  /** The shortest lifetime the gateway accepts. */
  private static final int TOKEN_SECONDS = 30;

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.create();

  @Test
  void theDashboardKeepsWorkingPastTheFirstAccessTokensExpiry() {
    Path dataDir = dashboard.dir().resolve("data");
    Map<String, String> env = GatewayProcess.env(dataDir);
    env.put("CODEX32_AUTH_ACCESS_TOKEN_TTL_S", String.valueOf(TOKEN_SECONDS));
    dashboard.start("session", dataDir, env);
    Browser browser = dashboard.openSignedIn();
    String first = accessToken(browser);
    long expiry = System.currentTimeMillis() + TOKEN_SECONDS * 1000L;

    browser.until("a refreshed access token", d -> !accessToken(browser).equals(first));
    browser.until("the first access token expired", d -> System.currentTimeMillis() > expiry + 2000);
    browser.visible("#connection[data-state=live]");
    browser.go("/devices");
    browser.showing(".empty-title", "No devices yet");
    assertThat(browser.present(".login-form")).as("still signed in").isFalse();
  }

  private static String accessToken(Browser browser) {
    return (String) browser.script("return JSON.parse(sessionStorage.getItem('codex32.session')).access_token");
  }
}
