package io.codex32.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.gateway.GatewayProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the gateway goes away the dashboard says so in words, and when it is back the page reconnects by itself. */
@Timeout(300)
class DashboardReconnectIT {

  @RegisterExtension
  static DashboardFixture dashboard = DashboardFixture.create();

  @Test
  void theConnectionIndicatorReconnectsAfterTheGatewayRestarts() {
    Path dataDir = dashboard.dir().resolve("data");
    GatewayProcess gateway = dashboard.start("reconnect-1", dataDir, GatewayProcess.env(dataDir));
    int port = gateway.port();
    Browser browser = dashboard.openSignedIn();
    browser.showing(".empty-title", "No bots yet");

    gateway.stop();
    // While it is down, the browser itself logs the refused connections; they are the point of this test.
    browser.expectConsoleError("ERR_CONNECTION_REFUSED");
    browser.expectConsoleError("WebSocket connection to");
    browser.showing("#connection", "Reconnecting");
    browser.go("/devices");
    browser.showing(".error-box", "The gateway cannot be reached");
    browser.screenshot("30-gateway-unreachable");

    Map<String, String> env = GatewayProcess.env(dataDir);
    env.put("CODEX32_HTTP_PORT", String.valueOf(port));
    dashboard.start("reconnect-2", dataDir, env);
    browser.visible("#connection[data-state=live]");
    browser.showing(".empty-title", "No devices yet");
    assertThat(browser.present(".error-box")).as("the error gives way once the gateway answers").isFalse();
  }
}
