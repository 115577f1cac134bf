package io.codex32.bus;

/** Every event-bus address (contract prefix {@code codex32.}). */
public final class Addresses {

  public static final String PREFIX = "codex32.";
  public static final String BOT_EVENTS = PREFIX + "bots.events";
  /**
   * A bot's own heartbeat (REST or MQTT), published for every executor: bot_id, time, optional status
   * text and metrics. Only the executor supervising the bot acts on it.
   */
  public static final String BOT_HEARTBEATS = PREFIX + "bots.heartbeat";
  public static final String NODE_HEARTBEAT = PREFIX + "nodes.heartbeat";
  /** A node's view as one gateway sees it (heartbeat + online + last_seen), published local-only by that gateway's registry. */
  public static final String NODE_EVENTS = PREFIX + "nodes.events";
  /** Device telemetry as published over MQTT: device_id, topic, payload, qos, time. */
  public static final String DEVICE_TELEMETRY = PREFIX + "devices.telemetry";
  /** Device connection state (online / offline) and messages on devices/<id>/events. */
  public static final String DEVICE_EVENTS = PREFIX + "devices.events";
  /** A debounced change of an input pin on some node: node, pin, value, edge, time, dropped. */
  public static final String GPIO_EVENTS = PREFIX + "gpio.events";
  /**
   * Request/reply address of the chat of the gateways: a node's local microphone asks for the words
   * to listen for and hands over what it heard ({@link ChatRequest}).
   */
  public static final String CHAT = PREFIX + "chat";
  public static final String WORKFLOW_EVENTS = PREFIX + "workflows.events";

  private Addresses() {
  }

  /** Request/reply address of a node's executor: start, stop, restart, remove, logs, metrics. */
  public static String executor(String nodeId) {
    return PREFIX + "node." + nodeId + ".executor";
  }

  /** Request/reply address of a node's GPIO: read, write, toggle, pulse, pwm on declared pins. */
  public static String gpio(String nodeId) {
    return PREFIX + "node." + nodeId + ".gpio";
  }

  /** Request/reply address of a node's speech-to-text: open a session, its audio, finish, cancel, status. */
  public static String voice(String nodeId) {
    return PREFIX + "node." + nodeId + ".voice";
  }

  /** Request/reply address of a node's local microphone: start, stop, status. */
  public static String microphone(String nodeId) {
    return PREFIX + "node." + nodeId + ".microphone";
  }

  /**
   * Where a node publishes the partial text of one voice session ({@code id}: unique per session,
   * chosen by the requester, which consumes it); a node sends partials nowhere else.
   */
  public static String voicePartials(String id) {
    return PREFIX + "voice.partials." + id;
  }

  public static String botLogs(String botId) {
    return PREFIX + "bots.logs." + botId;
  }

  /** Control messages for one bot's MQTT connection (close it: the bot was deleted), consumed by whichever gateway instance holds it. */
  public static String botMqtt(String botId) {
    return PREFIX + "bots.mqtt." + botId;
  }

  /** Commands and control messages for one device, consumed by whichever gateway instance holds its MQTT session. */
  public static String deviceCommands(String deviceId) {
    return PREFIX + "devices.commands." + deviceId;
  }
}
