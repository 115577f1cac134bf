package io.codex32.runtime;

import io.codex32.audit.AuditLog;
import io.codex32.config.AuthConfig;
import io.codex32.config.GatewayConfig;
import io.codex32.devices.CommandExpiryVerticle;
import io.codex32.devices.DeviceCommands;
import io.codex32.devices.DeviceControl;
import io.codex32.devices.DeviceEventsListener;
import io.codex32.devices.DeviceService;
import io.codex32.devices.DeviceSessions;
import io.codex32.devices.LiveDeviceStates;
import io.codex32.http.ApiContract;
import io.codex32.health.HealthChecks;
import io.codex32.health.RedisHealthCheck;
import io.codex32.health.StoreHealthCheck;
import io.codex32.http.ApiServices;
import io.codex32.http.HttpApiVerticle;
import io.codex32.live.LiveState;
import io.codex32.mqtt.BotControl;
import io.codex32.mqtt.MqttIngressVerticle;
import io.codex32.mqtt.MqttServices;
import io.codex32.nodes.NodeRegistry;
import io.codex32.security.ApiKeyService;
import io.codex32.security.AuthService;
import io.codex32.security.JwtKeys;
import io.codex32.security.LoginThrottle;
import io.codex32.security.PasswordHasher;
import io.codex32.security.TokenService;
import io.codex32.security.UserService;
import io.codex32.store.DocumentStore;
import io.codex32.supervisor.BotEventsListener;
import io.codex32.supervisor.BotScheduler;
import io.codex32.supervisor.BotSelfService;
import io.codex32.supervisor.BotService;
import io.codex32.supervisor.EventBusExecutorClient;
import io.codex32.supervisor.Leadership;
import io.codex32.supervisor.NodeAvailability;
import io.codex32.ws.EventsApi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Assembles and starts the gateway on a Vert.x instance: store, security, audit, bot service and
 * the HTTP verticles. Used by the gateway's main and by tests, so both run the same wiring.
 */
public final class GatewayRuntime {

  /** Bot tokens outlive any single run of a bot; a restart issues a fresh one. */
  private static final long BOT_TOKEN_TTL_S = 30L * 86_400;
  /** Expired refresh tokens are dropped this often. */
  private static final long PURGE_INTERVAL_MS = 3_600_000;
  /** How often the leader re-sends desired state to nodes whose bots drifted from it. */
  private static final long DRIFT_INTERVAL_MS = 30_000;

  private final Vertx vertx;
  private final DocumentStore store;
  private final LiveState live;
  private final Ports ports;
  private final String generatedAdminPassword;
  private final List<Long> timers;
  private final NodeRegistry nodes;
  private final Leadership leadership;

  /** The ports actually bound. */
  private record Ports(int http, int mqtt) {
  }

  private GatewayRuntime(Vertx vertx, DocumentStore store, LiveState live, Ports ports, String generatedAdminPassword,
      List<Long> timers, NodeRegistry nodes, Leadership leadership) {
    this.vertx = vertx;
    this.store = store;
    this.live = live;
    this.ports = ports;
    this.generatedAdminPassword = generatedAdminPassword;
    this.timers = timers;
    this.nodes = nodes;
    this.leadership = leadership;
  }

  public static Future<GatewayRuntime> start(Vertx vertx, GatewayConfig config) {
    Clock clock = Clock.systemUTC();
    return vertx.executeBlocking(() -> Files.createDirectories(config.dataDir()))
        .compose(dir -> ConfiguredStore.open(vertx, config))
        .compose(store -> vertx.executeBlocking(() -> keys(config))
            .compose(keys -> LiveState.open(vertx, config.redis(), clock)
                .compose(live -> assemble(vertx, config, store, live, keys, clock).onFailure(failure -> live.close())))
            .onFailure(failure -> store.close()));
  }

  private static JwtKeys keys(GatewayConfig config) {
    AuthConfig auth = config.auth();
    return JwtKeys.loadOrCreate(config.dataDir(), auth.jwtPrivateKey(), auth.jwtPublicKey());
  }

  private static Future<GatewayRuntime> assemble(Vertx vertx, GatewayConfig config, DocumentStore store, LiveState live, JwtKeys keys,
      Clock clock) {
    AuthConfig auth = config.auth();
    UserService users = new UserService(vertx, store, new PasswordHasher(auth.bcryptCost()), clock);
    TokenService tokens = new TokenService(vertx, keys, store, users, clock, auth.accessTokenTtlSeconds(), auth.refreshTokenTtlSeconds());
    ApiKeyService apiKeys = new ApiKeyService(vertx, store, clock);
    LoginThrottle throttle = new LoginThrottle(live.loginFailures(), auth.loginMaxFailures(),
        Duration.ofSeconds(auth.loginWindowSeconds()));
    EventBusExecutorClient executors = new EventBusExecutorClient(vertx, config.nodeId(),
        botId -> tokens.issueBotToken(botId, BOT_TOKEN_TTL_S));
    NodeRegistry nodes = new NodeRegistry(clock, config.nodeOfflineAfter(), live.nodes());
    BotService bots = BotService.create(store, executors, live.bots(), new BotScheduler(nodes::list), vertx.eventBus(), clock);
    LiveDeviceStates liveDevices = new LiveDeviceStates();
    DeviceControl deviceControl = new DeviceControl(vertx);
    DeviceService devices = new DeviceService(store, deviceControl, liveDevices, clock);
    DeviceCommands commands = new DeviceCommands(store, devices, deviceControl, clock, config.mqtt().maxQueuedCommands());
    AuthService authService = new AuthService(users, tokens, apiKeys, throttle);
    BotSelfService self = new BotSelfService(vertx, bots, live.bots(), clock);
    Leadership leadership = new Leadership(vertx);
    long driftTimer = new NodeAvailability(vertx, bots, executors, config.nodeId(), leadership, nodes).start(DRIFT_INTERVAL_MS);
    MqttServices mqtt = MqttServices.create(config.mqtt(), devices, commands, deviceControl, new DeviceSessions(store, clock), clock,
        authService, self);
    bots.onDeleted(new BotControl(vertx)::botDeleted);
    ApiServices services = new ApiServices(config.http(), bots, authService, users, apiKeys, new AuditLog(store, clock), devices,
        commands, self, healthChecks(store, live), nodes, leadership);
    long purgeTimer = vertx.setPeriodic(PURGE_INTERVAL_MS, id -> services.auth().purgeExpired());
    return users.bootstrapAdmin(config.adminPassword(), config.dataDir())
        .map(password -> config.adminPassword() == null ? password : null)
        .compose(generated -> new BotEventsListener(bots, live.bots()).register(vertx)
            .compose(listening -> new DeviceEventsListener(liveDevices).register(vertx))
            .compose(listening -> nodes.register(vertx))
            .compose(listening -> deployHttp(vertx, services, config))
            // MQTT before the executor: bots get CODEX32_MQTT_URL, so its port must be known when they start
            .compose(httpPort -> deployMqtt(vertx, mqtt).map(mqttPort -> new Ports(httpPort, mqttPort)))
            .compose(bound -> vertx.deployVerticle(new CommandExpiryVerticle(commands)).map(bound))
            .compose(bound -> new NodeRuntime(vertx, clock)
                .start(nodeSettings(config, bound), botId -> tokens.issueBotToken(botId, BOT_TOKEN_TTL_S))
                .compose(v -> bots.reconcile(config.nodeId()))
                .map(bound))
            .compose(bound -> writePorts(vertx, config.dataDir(), bound).map(bound))
            .onSuccess(bound -> leadership.start())
            .map(bound -> new GatewayRuntime(vertx, store, live, bound, generated, List.of(purgeTimer, driftTimer), nodes, leadership)))
        .onFailure(failure -> {
          vertx.cancelTimer(purgeTimer);
          vertx.cancelTimer(driftTimer);
        });
  }

  private static HealthChecks healthChecks(DocumentStore store, LiveState live) {
    HealthChecks checks = HealthChecks.of(new StoreHealthCheck(store));
    return live.redis().map(redis -> checks.with(new RedisHealthCheck(redis))).orElse(checks);
  }

  /**
   * One verticle instance per core on one port. Port 0 ("any") becomes -1: Vert.x then binds one
   * random port shared by all instances.
   */
  private static Future<Integer> deployHttp(Vertx vertx, ApiServices services, GatewayConfig config) {
    int port = config.http().port() == 0 ? -1 : config.http().port();
    List<HttpApiVerticle> instances = new CopyOnWriteArrayList<>();
    EventsApi events = EventsApi.create(services.auth(), config.ws());
    return ApiContract.load(vertx)
        .compose(contract -> vertx.deployVerticle(() -> {
          HttpApiVerticle verticle = new HttpApiVerticle(services, contract, port, events);
          instances.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(config.http().effectiveInstances())))
        .map(id -> instances.get(0).actualPort());
  }

  /**
   * Like the HTTP verticle: one instance per core sharing one port. Port 0 becomes -2, not -1: Vert.x
   * shares one random port among all TCP servers with the same negative port, so -1 would put MQTT
   * on the HTTP listener and hand every other connection to the wrong protocol.
   */
  private static Future<Integer> deployMqtt(Vertx vertx, MqttServices services) {
    int port = services.config().port() == 0 ? -2 : services.config().port();
    List<MqttIngressVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      MqttIngressVerticle verticle = new MqttIngressVerticle(services, port);
      instances.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(services.config().effectiveInstances()))
        .map(id -> instances.get(0).actualPort());
  }

  /** The single-node default: this process also runs the executor of its own node, whose bots reach it on this host. */
  private static NodeSettings nodeSettings(GatewayConfig config, Ports bound) {
    return new NodeSettings(config.node(), config.dataDir(), config.executor(), "http://127.0.0.1:" + bound.http(),
        mqttUrl(config, bound.mqtt()), config.gpio());
  }

  /**
   * Bots run on this host: a wildcard listener is reached on loopback, a specific address as
   * configured; {@code mqtts://} when the listener speaks TLS.
   */
  private static String mqttUrl(GatewayConfig config, int port) {
    String host = config.mqtt().host();
    boolean wildcard = host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host);
    String reachable = wildcard ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
    return (config.mqtt().tlsCert() != null ? "mqtts://" : "mqtt://") + reachable + ":" + port;
  }

  private static Future<Void> writePorts(Vertx vertx, Path dataDir, Ports bound) {
    JsonObject ports = new JsonObject().put("http", bound.http()).put("mqtt", bound.mqtt());
    return vertx.executeBlocking(() -> {
      Path tmp = dataDir.resolve("ports.json.tmp");
      Files.writeString(tmp, ports.encodePrettily());
      return Files.move(tmp, dataDir.resolve("ports.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }).mapEmpty();
  }

  public int httpPort() {
    return ports.http();
  }

  public int mqttPort() {
    return ports.mqtt();
  }

  /** The password generated for {@code admin} on this first start, or {@code null}. */
  public String generatedAdminPassword() {
    return generatedAdminPassword;
  }

  /** Undeploys the verticles, then closes the store (releasing the data directory lock) and the live state. */
  public Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    nodes.close();
    leadership.close();
    return Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(ignored -> Future.join(store.close(), live.close()))
        .mapEmpty();
  }
}
