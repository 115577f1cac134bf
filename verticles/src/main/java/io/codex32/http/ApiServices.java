package io.codex32.http;

import io.codex32.audit.AuditLog;
import io.codex32.chat.ChatService;
import io.codex32.chat.Conversations;
import io.codex32.config.HttpConfig;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceService;
import io.codex32.health.HealthChecks;
import io.codex32.nodes.GpioClient;
import io.codex32.nodes.MicrophoneClient;
import io.codex32.nodes.NodeRegistry;
import io.codex32.security.ApiKeyService;
import io.codex32.security.AuthService;
import io.codex32.security.UserService;
import io.codex32.supervisor.BotSelfService;
import io.codex32.supervisor.BotService;
import io.codex32.supervisor.Leadership;
import io.codex32.voice.VoiceHealth;

/** The domain services the HTTP API exposes, shared by every verticle instance. */
public record ApiServices(HttpConfig http, BotService bots, AuthService auth, UserService users,
    ApiKeyService apiKeys, AuditLog audit, DeviceService devices, DeviceCommands commands, BotSelfService self,
    HealthChecks health, NodeRegistry nodes, Leadership leadership, GpioClient gpio, VoiceHealth voice, ChatService chat,
    Conversations conversations, MicrophoneClient microphones) {
}
