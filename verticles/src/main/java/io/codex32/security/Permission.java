package io.codex32.security;

import java.util.Locale;

/** What an API operation needs. Each OpenAPI operation names one in {@code x-permission}. */
public enum Permission {
  /** Read bots, their status, logs and metrics. */
  BOTS_READ,
  /** Start, stop and restart bots. */
  BOTS_CONTROL,
  /** Create, change and delete bot specs. */
  BOTS_WRITE,
  /** Manage users and roles. */
  USERS_MANAGE,
  /** Create, list and revoke API keys. */
  API_KEYS_MANAGE,
  /** Read and verify the audit trail. */
  AUDIT_READ,
  /** Read devices, their live state and their commands. */
  DEVICES_READ,
  /** Register, change, delete devices, rotate their secrets and send them commands. */
  DEVICES_WRITE,
  /** Drive the GPIO pins of nodes (write, toggle, pulse, pwm); reading them needs {@link #BOTS_READ}. */
  GPIO_CONTROL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Permission parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
