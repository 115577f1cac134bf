package io.codex32.chat;

import io.codex32.devices.DeviceCommands;
import io.codex32.security.Permission;
import io.vertx.core.Future;
import java.util.Map;

/** Sending a command to a device, queued for it exactly as {@code POST /api/v1/devices/{id}/commands} would. */
final class DeviceIntents {

  private static final String OPERATION = "sendDeviceCommand";

  private final DeviceCommands commands;
  private final Names names;
  private final Permits permits;
  private final ChatAudit audit;

  DeviceIntents(DeviceCommands commands, Names names, Permits permits, ChatAudit audit) {
    this.commands = commands;
    this.names = names;
    this.permits = permits;
    this.audit = audit;
  }

  Map<String, IntentHandler> handlers() {
    return Map.of("device_command", this::send);
  }

  private Future<ChatReply> send(Turn turn) {
    String command = turn.slot("command");
    return permits.act(turn, Permission.DEVICES_WRITE, "send commands to devices", OPERATION, turn.slot("device"))
        .compose(v -> NameResolution.resolve(turn, "device", Names.DEVICE, names.devices()))
        .compose(device -> commands.send(device.id(), command, null, DeviceCommands.DEFAULT_TTL_S)
            .compose(sent -> audit.success(turn, OPERATION, device.id(), "command=" + sent.name())
                .map(v -> ChatReply.say("Sent " + sent.name() + " to " + device.id() + "; it is " + sent.status().wireName() + ".",
                    turn.intent(), turn.match().slots(), commands.view(sent))))
            .recover(failure -> audit.failed(turn, OPERATION, device.id(), failure)
                .compose(v -> Future.failedFuture(Answers.failed(turn, "send " + command + " to " + device.id(), failure)))));
  }
}
