package io.codex32.security;

import java.time.Clock;
import java.time.Duration;

/** Limits failed logins per username and per source address. Thread-safe. */
public final class LoginThrottle {

  public LoginThrottle(Clock clock, int maxFailures, Duration window) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Throws 429 {@code too_many_requests} with a retry-after when either key is locked out. */
  public void check(String username, String sourceIp) {
    throw new UnsupportedOperationException("TODO");
  }

  public void recordFailure(String username, String sourceIp) {
    throw new UnsupportedOperationException("TODO");
  }

  public void recordSuccess(String username, String sourceIp) {
    throw new UnsupportedOperationException("TODO");
  }
}
