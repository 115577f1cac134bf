package io.codex32.runtime;

import io.codex32.audit.AuditLog;
import io.codex32.chat.ChatService;
import io.codex32.chat.Conversations;
import io.codex32.config.AuthConfig;
import io.codex32.config.GatewayConfig;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceControl;
import io.codex32.devices.DeviceService;
import io.codex32.devices.DeviceSessions;
import io.codex32.devices.LiveDeviceStates;
import io.codex32.health.HealthChecks;
import io.codex32.health.RedisHealthCheck;
import io.codex32.health.StoreHealthCheck;
import io.codex32.http.ApiServices;
import io.codex32.live.LiveState;
import io.codex32.mqtt.BotControl;
import io.codex32.mqtt.MqttServices;
import io.codex32.nodes.EventBusGpioClient;
import io.codex32.nodes.GpioClient;
import io.codex32.nodes.MicrophoneClient;
import io.codex32.nodes.NodeRegistry;
import io.codex32.security.ApiKeyService;
import io.codex32.security.AuthService;
import io.codex32.security.JwtKeys;
import io.codex32.security.LoginThrottle;
import io.codex32.security.PasswordHasher;
import io.codex32.security.TokenService;
import io.codex32.security.UserService;
import io.codex32.store.DocumentStore;
import io.codex32.supervisor.BotScheduler;
import io.codex32.supervisor.BotSelfService;
import io.codex32.supervisor.BotService;
import io.codex32.supervisor.EventBusExecutorClient;
import io.codex32.supervisor.Leadership;
import io.codex32.supervisor.NodeAvailability;
import io.codex32.voice.VoiceClient;
import io.codex32.voice.VoiceHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The gateway's services, built once from the store, the live state and the keys, and shared by
 * every verticle instance. Building them starts nothing: {@link GatewayStartup} does, in order.
 */
record GatewayServices(DocumentStore store, LiveState live, UserService users, BotService bots, NodeRegistry nodes,
    Leadership leadership, NodeAvailability availability, LiveDeviceStates liveDevices, DeviceCommands commands, MqttServices mqtt,
    ApiServices api, Function<String, Future<String>> botTokens) {

  /** Bot tokens outlive any single run of a bot; a restart issues a fresh one. */
  private static final long BOT_TOKEN_TTL_S = 30L * 86_400;

  static GatewayServices wire(Vertx vertx, GatewayConfig config, DocumentStore store, LiveState live, JwtKeys keys, Clock clock) {
    AuthConfig auth = config.auth();
    UserService users = new UserService(vertx, store, new PasswordHasher(auth.bcryptCost()), clock);
    TokenService tokens = new TokenService(vertx, keys, store, users, clock, auth.accessTokenTtlSeconds(), auth.refreshTokenTtlSeconds());
    ApiKeyService apiKeys = new ApiKeyService(vertx, store, clock);
    LoginThrottle throttle = new LoginThrottle(live.loginFailures(), auth.loginMaxFailures(),
        Duration.ofSeconds(auth.loginWindowSeconds()));
    Function<String, Future<String>> botTokens = botId -> tokens.issueBotToken(botId, BOT_TOKEN_TTL_S);
    EventBusExecutorClient executors = new EventBusExecutorClient(vertx, config.nodeId(), botTokens);
    NodeRegistry nodes = new NodeRegistry(clock, config.nodeOfflineAfter(), live.nodes());
    BotService bots = BotService.create(store, executors, live.bots(), new BotScheduler(nodes::list), vertx.eventBus(), clock);
    bots.onDeleted(new BotControl(vertx)::botDeleted);
    LiveDeviceStates liveDevices = new LiveDeviceStates();
    DeviceControl deviceControl = new DeviceControl(vertx);
    DeviceService devices = new DeviceService(store, deviceControl, liveDevices, clock);
    DeviceCommands commands = new DeviceCommands(store, devices, deviceControl, clock, config.mqtt().maxQueuedCommands());
    AuthService authService = new AuthService(users, tokens, apiKeys, throttle);
    BotSelfService self = new BotSelfService(vertx, bots, live.bots(), clock);
    Leadership leadership = new Leadership(vertx);
    NodeAvailability availability = new NodeAvailability(vertx, bots, executors, config.nodeId(), leadership, nodes);
    MqttServices mqtt = MqttServices.create(config.mqtt(), devices, commands, deviceControl, new DeviceSessions(store, clock), clock,
        authService, self);
    AuditLog audit = new AuditLog(store, clock);
    GpioClient gpio = new EventBusGpioClient(vertx, nodes);
    ChatService chat = new ChatService(config.chat().catalog(), bots, devices, commands, nodes, gpio, audit);
    // one voice client for /ws/command and the health of the gateway's own node (whose heartbeat the registry hears too)
    VoiceHealth voice = new VoiceHealth(new VoiceClient(vertx, nodes), config.nodeId());
    ApiServices api = new ApiServices(config.http(), bots, authService, users, apiKeys, audit, devices,
        commands, self, healthChecks(store, live), nodes, leadership, gpio, voice, chat, new Conversations(clock),
        new MicrophoneClient(vertx, nodes));
    return new GatewayServices(store, live, users, bots, nodes, leadership, availability, liveDevices, commands, mqtt, api, botTokens);
  }

  private static HealthChecks healthChecks(DocumentStore store, LiveState live) {
    HealthChecks checks = HealthChecks.of(new StoreHealthCheck(store));
    return live.redis().map(redis -> checks.with(new RedisHealthCheck(redis))).orElse(checks);
  }
}
