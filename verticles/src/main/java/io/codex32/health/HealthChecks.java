package io.codex32.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Runs every component's check and reports each as {@code {status: up|down, error}}. */
public record HealthChecks(List<HealthCheck> checks) {

  public HealthChecks {
    checks = List.copyOf(checks);
  }

  public static HealthChecks of(HealthCheck... checks) {
    return new HealthChecks(List.of(checks));
  }

  /** A new registry with one more component. */
  public HealthChecks with(HealthCheck check) {
    List<HealthCheck> all = new ArrayList<>(checks);
    all.add(check);
    return new HealthChecks(all);
  }

  /** Always succeeds: one entry per component. */
  public Future<JsonObject> report() {
    List<Future<JsonObject>> results = checks.stream()
        .map(check -> check.check()
            .map(v -> new JsonObject().put("status", "up"))
            .recover(failure -> Future.succeededFuture(down(failure))))
        .toList();
    return Future.join(results).transform(done -> {
      JsonObject report = new JsonObject();
      for (int i = 0; i < checks.size(); i++) {
        report.put(checks.get(i).component(), results.get(i).result());
      }
      return Future.succeededFuture(report);
    });
  }

  /** True when every component in a {@link #report()} is up. */
  public static boolean allUp(JsonObject report) {
    return report.stream().allMatch(e -> "up".equals(((JsonObject) e.getValue()).getString("status")));
  }

  private static JsonObject down(Throwable cause) {
    return new JsonObject().put("status", "down").put("error", cause == null ? null : cause.getMessage());
  }
}
