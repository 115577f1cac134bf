package io.codex32.health;

import io.vertx.core.Future;

/**
 * One component the gateway needs to serve requests (the store, live state, ...). {@code /health/ready}
 * answers 503 naming every component whose check fails.
 */
public interface HealthCheck {

  /** The name shown in {@code /health/ready}, e.g. {@code store}. */
  String component();

  /** Succeeds when the component works now; fails (quickly, never hangs) with the reason otherwise. */
  Future<Void> check();
}
