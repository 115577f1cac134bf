package io.codex32.ws;

import io.codex32.bus.Addresses;
import io.codex32.security.Permission;
import java.util.regex.Pattern;

/**
 * A topic a client can subscribe to, with the event-bus address it is fed from and the permission
 * it needs. Every topic needs {@code bots_read} for now (docs/security.md): the matrix has no finer
 * read permissions yet, and adding one later changes only {@link #permission()}.
 */
record Topic(String name, Kind kind, String id) {

  /** Bot ids, node ids and device ids: letters, digits, dot, dash, underscore; no address tricks. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  enum Kind { BOTS, BOT, LOGS, NODES, DEVICE_TELEMETRY, WORKFLOWS, GPIO, NODE_GPIO }

  /** The topic, or {@code null} when {@code name} is not one. */
  static Topic parse(String name) {
    if (name == null) {
      return null;
    }
    switch (name) {
      case "bots":
        return new Topic(name, Kind.BOTS, null);
      case "nodes":
        return new Topic(name, Kind.NODES, null);
      case "workflows":
        return new Topic(name, Kind.WORKFLOWS, null);
      case "gpio":
        return new Topic(name, Kind.GPIO, null);
      default:
        break;
    }
    String[] parts = name.split("/", -1);
    if (parts.length == 2 && parts[0].equals("bots") && ID.matcher(parts[1]).matches()) {
      return new Topic(name, Kind.BOT, parts[1]);
    }
    if (parts.length == 2 && parts[0].equals("logs") && ID.matcher(parts[1]).matches()) {
      return new Topic(name, Kind.LOGS, parts[1]);
    }
    if (parts.length == 2 && parts[0].equals("gpio") && ID.matcher(parts[1]).matches()) {
      return new Topic(name, Kind.NODE_GPIO, parts[1]);
    }
    if (parts.length == 3 && parts[0].equals("devices") && parts[2].equals("telemetry") && ID.matcher(parts[1]).matches()) {
      return new Topic(name, Kind.DEVICE_TELEMETRY, parts[1]);
    }
    return null;
  }

  String address() {
    return switch (kind) {
      case BOTS, BOT -> Addresses.BOT_EVENTS;
      case LOGS -> Addresses.botLogs(id);
      case NODES -> Addresses.NODE_EVENTS;
      case DEVICE_TELEMETRY -> Addresses.DEVICE_TELEMETRY;
      case WORKFLOWS -> Addresses.WORKFLOW_EVENTS;
      case GPIO, NODE_GPIO -> Addresses.GPIO_EVENTS;
    };
  }

  Permission permission() {
    return Permission.BOTS_READ;
  }
}
