package io.codex32.devices;

/**
 * The MQTT topic contract and its ACL: a device publishes only {@code devices/<id>/telemetry} and
 * {@code devices/<id>/events} and subscribes only under {@code devices/<id>/commands/}.
 */
public final class DeviceTopics {

  public static final String TELEMETRY = "telemetry";
  public static final String EVENTS = "events";

  private DeviceTopics() {
  }

  public static String commandTopic(String deviceId, String name) {
    return commandPrefix(deviceId) + name;
  }

  /** {@code telemetry}, {@code events}, or null when the device may not publish there. */
  public static String publishKind(String deviceId, String topic) {
    String base = "devices/" + deviceId + "/";
    if (topic == null || !topic.startsWith(base)) {
      return null;
    }
    String rest = topic.substring(base.length());
    return TELEMETRY.equals(rest) || EVENTS.equals(rest) ? rest : null;
  }

  /**
   * A filter under the device's own command prefix. Wildcards are fine there ({@code #} as the last
   * level, {@code +} as a whole level) because they cannot reach beyond the prefix.
   */
  public static boolean maySubscribe(String deviceId, String filter) {
    String prefix = commandPrefix(deviceId);
    if (filter == null || !filter.startsWith(prefix) || filter.length() == prefix.length()) {
      return false;
    }
    String[] levels = filter.substring(prefix.length()).split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      boolean last = i == levels.length - 1;
      if (level.contains("#") && !(last && level.equals("#"))) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }

  private static String commandPrefix(String deviceId) {
    return "devices/" + deviceId + "/commands/";
  }
}
