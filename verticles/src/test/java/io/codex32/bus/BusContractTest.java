package io.codex32.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.devices.DeviceCommand;
import io.codex32.voice.Vocabulary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BusContractTest {

  private static final Instant T = Instant.parse("2026-12-04T10:15:30.123Z");
  private static final BotSpec SPEC =
      BotSpec.fromJson(new JsonObject().put("id", "weather").put("command", new JsonArray().add("python3")));

  @Test
  void everyExecutorRequestReadsBackAsItWasWritten() {
    List<ExecutorRequest> requests = List.of(new ExecutorRequest.Start(SPEC, "tok"), new ExecutorRequest.Restart(SPEC, null),
        new ExecutorRequest.Stop("weather"), new ExecutorRequest.Remove("weather"), new ExecutorRequest.Logs("weather", 5, T),
        new ExecutorRequest.Logs("weather", 100, null), new ExecutorRequest.Summary(), new ExecutorRequest.Report());
    for (ExecutorRequest request : requests) {
      JsonObject json = request.toJson();
      assertThat(json.getInteger("v")).isEqualTo(Contract.VERSION);
      assertThat(ExecutorRequest.fromJson(json)).isEqualTo(request);
    }
  }

  @Test
  void executorRepliesReadBackPerRequest() {
    ExecutorReply accepted = new ExecutorReply.Accepted(BotStatus.RUNNING, true);
    assertThat(ExecutorReply.fromJson(new ExecutorRequest.Start(SPEC, null), accepted.toJson())).isEqualTo(accepted);
    assertThat(ExecutorReply.Accepted.unknownBot().toJson().getBoolean("known")).isFalse();
    assertThat(ExecutorReply.fromJson(new ExecutorRequest.Stop("x"), ExecutorReply.Accepted.unknownBot().toJson()))
        .isEqualTo(ExecutorReply.Accepted.unknownBot());
    ExecutorReply tail = new ExecutorReply.LogTail(List.of(new BotLogLine("weather", 3, T, BotLogLine.STDERR, "oops")));
    assertThat(ExecutorReply.fromJson(new ExecutorRequest.Logs("weather", 1, null), tail.toJson())).isEqualTo(tail);
    assertThat(ExecutorReply.fromJson(new ExecutorRequest.Summary(), new ExecutorReply.BotCount(4).toJson()))
        .isEqualTo(new ExecutorReply.BotCount(4));
  }

  @Test
  void statusEventsKeepTheirProcessReportOnlyWhenAnExecutorObservedOne() {
    BotEvent.Status observed = new BotEvent.Status("weather", "pi-1", BotStatus.FAILED, 17, "exited with code 1", T,
        new BotEvent.ProcessReport(null, null, false, 3, 1, null, "sampling", T), List.of("a", "b"), false);
    assertThat(BotEvent.fromJson(observed.toJson())).isEqualTo(observed);
    assertThat(BotEvent.fromJson(observed.asReplayed().toJson())).isEqualTo(observed.asReplayed());

    BotEvent.Status decided = BotEvent.Status.decided("weather", null, BotStatus.UNKNOWN, 18, "node_lost: pi-1", T);
    JsonObject json = decided.toJson();
    assertThat(json.fieldNames()).doesNotContain("pid", "restarts", "last_lines", "replayed");
    assertThat(BotEvent.fromJson(json)).isEqualTo(decided);
  }

  @Test
  void metricsEventsCarryEverySample() {
    BotEvent.Metrics metrics = new BotEvent.Metrics("local", T, List.of(
        new BotEvent.Sample("a", T, 12.5, 30.25, 2, null, null, null),
        new BotEvent.Sample("b", T, 0, 1, 1, T, "ok", new JsonObject().put("temp", 21.5))));
    assertThat(BotEvent.fromJson(metrics.toJson())).isEqualTo(metrics);
  }

  @Test
  void heartbeatsAndLogLinesReadBack() {
    BotHeartbeat beat = new BotHeartbeat("weather", T, "ok", new JsonObject().put("n", 1));
    assertThat(BotHeartbeat.fromJson(beat.toJson())).isEqualTo(beat);
    assertThat(BotHeartbeat.fromJson(new BotHeartbeat("weather", T, null, null).toJson()).status()).isNull();
    BotLogLine line = new BotLogLine("weather", 9, T, BotLogLine.STDOUT, "reading 1");
    assertThat(BotLogLine.fromJson(line.toJson())).isEqualTo(line);
  }

  @Test
  void aMessageWithoutVersionIsReadAsVersionOne() {
    JsonObject old = new JsonObject().put("action", "stop").put("bot_id", "weather");
    assertThat(ExecutorRequest.fromJson(old)).isEqualTo(new ExecutorRequest.Stop("weather"));
  }

  @Test
  void unreadableMessagesFailWithAStableCode() {
    assertCode(() -> ExecutorRequest.fromJson("stop"), "not_json");
    assertCode(() -> ExecutorRequest.fromJson(new JsonObject().put("action", "explode")), "unknown_action");
    assertCode(() -> ExecutorRequest.fromJson(new JsonObject().put("action", "stop")), "missing_field");
    assertCode(() -> ExecutorRequest.fromJson(new JsonObject().put("action", "stop").put("bot_id", 7)), "bad_field");
    assertCode(() -> ExecutorRequest.fromJson(new JsonObject().put("v", Contract.VERSION + 1).put("action", "stop")),
        "unsupported_contract");
    assertCode(() -> BotEvent.fromJson(new JsonObject().put("type", "status").put("bot_id", "a").put("status", "dancing")
        .put("version", 1).put("time", T.toString())), "unknown_type");
    assertCode(() -> BotEvent.fromJson(new JsonObject().put("type", "metrics").put("time", "yesterday")), "bad_field");
    assertCode(() -> BotEvent.fromJson(new JsonObject().put("type", "metrics").put("time", T.toString()).put("samples",
        new JsonArray().add(3))), "bad_field");
    assertCode(() -> BotEvent.fromJson(new JsonObject().put("type", "status").put("bot_id", "a").put("status", "running")
        .put("version", 1).put("time", T.toString()).put("restarts", 1L << 40)), "bad_field");
  }

  @Test
  void nodeHeartbeatsAndNodeEventsReadBack() {
    NodeHeartbeat beat = new NodeHeartbeat("pi-1", "pi-1.lan", Map.of("room", "attic"), 4, 3800, 12.5, 900, 0.4, "0.1.0", 2, T,
        new NodeHeartbeat.LinkCounters(3, 7));
    assertThat(NodeHeartbeat.fromJson(beat.toJson())).isEqualTo(beat);
    assertThat(NodeHeartbeat.fromJson(beat.withLink(null).toJson()).link()).isNull();

    NodeEvent event = new NodeEvent(beat, false, T);
    JsonObject json = event.toJson();
    assertThat(json.fieldNames()).doesNotContain("time").contains("online", "last_seen", "link");
    assertThat(NodeEvent.fromJson(json)).isEqualTo(event);
  }

  @Test
  void malformedNodeHeartbeatsAreUnreadable() {
    String now = T.toString();
    assertCode(() -> NodeHeartbeat.fromJson(new JsonObject().put("id", "../etc").put("time", now)), "bad_field");
    assertCode(() -> NodeHeartbeat.fromJson(new JsonObject().put("id", "no-time")), "missing_field");
    assertCode(() -> NodeHeartbeat.fromJson(new JsonObject().put("id", "a").put("capacity", "many").put("time", now)), "bad_field");
    assertCode(() -> NodeHeartbeat.fromJson(new JsonObject().put("id", "a").put("bots", 1L << 40).put("time", now)), "bad_field");
    JsonObject labels = new JsonObject();
    for (int i = 0; i <= 64; i++) {
      labels.put("l" + i, "x");
    }
    assertCode(() -> NodeHeartbeat.fromJson(new JsonObject().put("id", "a").put("labels", labels).put("time", now)), "bad_field");
    JsonObject bare = new JsonObject().put("id", "a").put("hostname", "h".repeat(300)).put("time", now);
    assertThat(NodeHeartbeat.fromJson(bare).hostname()).hasSize(255);
  }

  @Test
  void deviceMessagesKeepTheirJsonAndReadBack() {
    DevicePublish reading = new DevicePublish("esp-1", "devices/esp-1/telemetry", new JsonObject().put("t", 21.5), 1, T, false);
    assertThat(new DeviceTelemetry(reading).toJson()).isEqualTo(new JsonObject().put("v", 1).put("device_id", "esp-1")
        .put("topic", "devices/esp-1/telemetry").put("payload", new JsonObject().put("t", 21.5)).put("qos", 1).put("time", T.toString()));
    assertThat(DeviceTelemetry.fromJson(new DeviceTelemetry(reading).toJson())).isEqualTo(new DeviceTelemetry(reading));

    DevicePublish will = new DevicePublish("esp-1", "devices/esp-1/events", "gone", 0, T, true);
    List<DeviceEvent> events = List.of(new DeviceEvent.Published(will),
        DeviceEvent.Connection.online("esp-1", "c1", T),
        DeviceEvent.Connection.offline("esp-1", "c1", DeviceEvent.OfflineReason.CONNECTION_LOST, T),
        new DeviceEvent.CommandStatus("esp-1", "cmd-1", "open", CommandState.DELIVERED, T));
    for (DeviceEvent event : events) {
      assertThat(DeviceEvent.fromJson(event.toJson())).isEqualTo(event);
    }
    assertThat(events.get(0).toJson().getString("type")).isEqualTo("event");
    assertThat(events.get(0).toJson().getBoolean("will")).isTrue();
    assertThat(events.get(1).toJson()).isEqualTo(new JsonObject().put("v", 1).put("type", "online").put("device_id", "esp-1")
        .put("connection_id", "c1").putNull("reason").put("time", T.toString()));
    assertThat(events.get(2).toJson().getString("reason")).isEqualTo("connection_lost");
    assertThat(events.get(3).toJson()).isEqualTo(new JsonObject().put("v", 1).put("type", "command").put("device_id", "esp-1")
        .put("command_id", "cmd-1").put("name", "open").put("status", "delivered").put("time", T.toString()));
    assertCode(() -> DeviceEvent.fromJson(new JsonObject().put("type", "exploded")), "unknown_type");
  }

  @Test
  void sessionControlMessagesReadBack() {
    DeviceCommand command = new DeviceCommand("cmd-1", "esp-1", "open", 1, CommandState.QUEUED, T, T.plusSeconds(60), null);
    List<DeviceSessionControl> controls = List.of(command.offer(),
        new DeviceSessionControl.Disconnect("device deleted", null), new DeviceSessionControl.Disconnect("taken over", "c2"),
        new DeviceSessionControl.TakeOver("c2"));
    for (DeviceSessionControl control : controls) {
      assertThat(DeviceSessionControl.fromJson(control.toJson())).isEqualTo(control);
    }
    assertThat(controls.get(0).toJson().getJsonObject("command")).isEqualTo(command.toJson());
    assertCode(() -> DeviceSessionControl.fromJson(new JsonObject().put("type", "command").put("command", new JsonObject())),
        "missing_field");

    BotSessionControl disconnect = new BotSessionControl.Disconnect("bot deleted");
    assertThat(disconnect.toJson()).isEqualTo(new JsonObject().put("v", 1).put("type", "disconnect").put("reason", "bot deleted"));
    assertThat(BotSessionControl.fromJson(disconnect.toJson())).isEqualTo(disconnect);
  }

  @Test
  void gpioRequestsRepliesAndEventsReadBack() {
    List<GpioRequest> requests = List.of(new GpioRequest.Read("relay"), new GpioRequest.ReadAll(),
        new GpioRequest.Write("relay", PinValue.HIGH), new GpioRequest.Toggle("relay"), new GpioRequest.Pulse("relay", PinValue.LOW, 500),
        new GpioRequest.Pwm("fan", 37.5, 2000), new GpioRequest.Pwm("fan", 0, null));
    for (GpioRequest request : requests) {
      assertThat(GpioRequest.fromJson(request.toJson())).isEqualTo(request);
    }
    assertThat(new GpioRequest.Write("relay", PinValue.HIGH).toJson())
        .isEqualTo(new JsonObject().put("v", 1).put("action", "write").put("pin", "relay").put("value", "high"));

    GpioReply.PinState relay = new GpioReply.PinState("relay", 17, PinMode.OUTPUT, PinValue.HIGH, null, null, "Relay");
    GpioReply.PinState fan = new GpioReply.PinState("fan", 18, PinMode.PWM, null, 37.5, 2000, null);
    GpioReply one = new GpioReply.Pin(relay, true);
    assertThat(GpioReply.fromJson(new GpioRequest.Toggle("relay"), one.toJson())).isEqualTo(one);
    assertThat(one.toJson().getJsonObject("pin").getString("value")).isEqualTo("high");
    GpioReply all = new GpioReply.Pins(List.of(relay, fan), false);
    assertThat(GpioReply.fromJson(new GpioRequest.ReadAll(), all.toJson())).isEqualTo(all);

    GpioEvent event = new GpioEvent("pi-1", "button", PinValue.LOW, PinEdge.FALLING, T, 3);
    assertThat(GpioEvent.fromJson(event.toJson())).isEqualTo(event);
    assertThat(event.toJson().fieldNames()).containsExactly("v", "node", "pin", "value", "edge", "time", "dropped");
  }

  @Test
  void unreadableGpioRequestsFailWithAStableCode() {
    assertCode(() -> GpioRequest.fromJson(new JsonObject().put("action", "explode")), "unknown_action");
    assertCode(() -> GpioRequest.fromJson(new JsonObject().put("action", "write").put("pin", "relay").put("value", "on")), "unknown_type");
    assertCode(() -> GpioRequest.fromJson(new JsonObject().put("action", "pwm").put("pin", "fan")), "missing_field");
    assertCode(() -> GpioRequest.fromJson(new JsonObject().put("action", "pulse").put("pin", "relay").put("value", "high")
        .put("duration_ms", "soon")), "bad_field");
  }

  @Test
  void theVersionCanBeTakenOutForClients() {
    JsonObject json = new BotHeartbeat("weather", T, null, null).toJson();
    assertThat(Contract.withoutVersion(json).fieldNames()).containsExactly("bot_id", "time");
  }

  private static void assertCode(Runnable read, String code) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(UnreadableMessage.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.status()).isEqualTo(400);
    });
  }

  @Test
  void voiceRequestsRepliesAndPartialsReadBack() {
    io.codex32.voice.Vocabulary vocabulary = new io.codex32.voice.Vocabulary(List.of("(start | stop) [the] <bot>"),
        Map.of("bot", List.of("weather station", "pump two")));
    List<VoiceRequest> requests = List.of(new VoiceRequest.Open("s1", 16_000, vocabulary, Addresses.voicePartials("p1")),
        new VoiceRequest.Open("s2", 16_000, vocabulary, null), new VoiceRequest.Audio("s1", 7, new byte[] {1, -2, 3, 4}),
        new VoiceRequest.Finish("s1"), new VoiceRequest.Cancel("s1"), new VoiceRequest.Status());
    for (VoiceRequest request : requests) {
      JsonObject json = request.toJson();
      assertThat(json.getInteger("v")).isEqualTo(Contract.VERSION);
      assertThat(VoiceRequest.fromJson(json)).isEqualTo(request);
    }
    assertThat(new VoiceRequest.Audio("s1", 0, new byte[] {0, 1}).toJson().getString("pcm")).as("base64").isEqualTo("AAE=");
    assertCode(() -> VoiceRequest.fromJson(new JsonObject().put("action", "audio").put("session", "s").put("seq", 0).put("pcm", "**")),
        "bad_field");
    assertCode(() -> VoiceRequest.fromJson(new JsonObject().put("action", "open").put("session", "s").put("sample_rate", 16000)
        .put("vocabulary", new JsonObject().put("sentences", new JsonArray().add(3)))), "bad_field");

    List<VoiceReply> replies = List.of(new VoiceReply.Opened("pocketsphinx"), new VoiceReply.Accepted(3),
        new VoiceReply.Transcript("start the weather station", 1800, 240), new VoiceReply.Cancelled(),
        new VoiceReply.EngineStatus("off", false, "voice.engine is off"));
    for (int i = 0; i < replies.size(); i++) {
      VoiceRequest request = List.of(requests.get(0), requests.get(2), requests.get(3), requests.get(4), requests.get(5)).get(i);
      assertThat(VoiceReply.fromJson(request, replies.get(i).toJson())).isEqualTo(replies.get(i));
    }
    VoiceEvent.Partial partial = new VoiceEvent.Partial("s1", "start the");
    assertThat(VoiceEvent.fromJson(partial.toJson())).isEqualTo(partial);
  }

  @Test
  void microphoneAndChatMessagesReadBack() {
    for (MicrophoneRequest request : List.of(new MicrophoneRequest.Start(), new MicrophoneRequest.Stop(), new MicrophoneRequest.Status())) {
      assertThat(MicrophoneRequest.fromJson(request.toJson())).isEqualTo(request);
    }
    MicrophoneReply status = new MicrophoneReply("idle", "default", null, "pi", 1200, "start the pump", "Starting pump.", null);
    assertThat(MicrophoneReply.fromJson(status.toJson())).isEqualTo(status);
    assertCode(() -> MicrophoneRequest.fromJson(new JsonObject().put("action", "listen")), "unknown_action");

    ChatRequest.Utterance said = new ChatRequest.Utterance("pi", "start the pump", "voice", "pi-1");
    assertThat(ChatRequest.fromJson(said.toJson())).isEqualTo(said);
    assertThat(ChatRequest.fromJson(new ChatRequest.Words().toJson())).isEqualTo(new ChatRequest.Words());
    Vocabulary vocabulary = new Vocabulary(List.of("start <bot>"), Map.of("bot", List.of("pump")));
    ChatAnswer.Words words = new ChatAnswer.Words(vocabulary);
    assertThat(ChatAnswer.fromJson(new ChatRequest.Words(), words.toJson())).isEqualTo(words);
    ChatAnswer.Reply reply = new ChatAnswer.Reply("Stop pump?", "stop_bot", "confirmation");
    assertThat(ChatAnswer.fromJson(said, reply.toJson())).isEqualTo(reply);
    assertThat(ChatAnswer.fromJson(said, new ChatAnswer.Reply("Sorry.", null, null).toJson())).isEqualTo(new ChatAnswer.Reply("Sorry.",
        null, null));
    assertCode(() -> ChatRequest.fromJson(new JsonObject().put("action", "utterance").put("user", "pi")), "missing_field");
  }
}
