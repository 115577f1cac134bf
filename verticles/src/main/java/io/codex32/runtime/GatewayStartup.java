package io.codex32.runtime;

import io.codex32.chat.ChatBusListener;
import io.codex32.config.GatewayConfig;
import io.codex32.devices.CommandExpiryVerticle;
import io.codex32.devices.DeviceEventsListener;
import io.codex32.http.ApiContract;
import io.codex32.http.HttpApiVerticle;
import io.codex32.mqtt.MqttIngressVerticle;
import io.codex32.supervisor.BotEventsListener;
import io.codex32.ws.CommandApi;
import io.codex32.ws.EventsApi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's start, one step after another on wired {@link GatewayServices}: the first admin,
 * the bus listeners, the HTTP and MQTT verticles, command expiry, its own node, reconciliation,
 * {@code ports.json}, then leadership. Each step keeps what later ones need (the ports bound).
 */
final class GatewayStartup {

  /** Expired refresh tokens are dropped this often. */
  private static final long PURGE_INTERVAL_MS = 3_600_000;
  /** How often the leader re-sends desired state to nodes whose bots drifted from it. */
  private static final long DRIFT_INTERVAL_MS = 30_000;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final GatewayServices services;
  private final Clock clock;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private String generatedPassword;
  private int httpPort;
  private int mqttPort;

  GatewayStartup(Vertx vertx, GatewayConfig config, GatewayServices services, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.services = services;
    this.clock = clock;
  }

  Future<GatewayRuntime> run() {
    timers.add(services.availability().start(DRIFT_INTERVAL_MS));
    timers.add(vertx.setPeriodic(PURGE_INTERVAL_MS, id -> services.api().auth().purgeExpired()));
    return bootstrapAdmin()
        .compose(v -> listen())
        .compose(v -> deployHttp())
        // MQTT before the node: its bots get CODEX32_MQTT_URL, so that port must be known when they start
        .compose(v -> deployMqtt())
        .compose(v -> vertx.deployVerticle(new CommandExpiryVerticle(services.commands())))
        .compose(v -> new NodeRuntime(vertx, clock).start(ownNode(), services.botTokens()))
        .compose(v -> services.bots().reconcile(config.nodeId()))
        .compose(v -> writePorts())
        .map(v -> {
          services.leadership().start();
          return new GatewayRuntime(vertx, services, httpPort, mqttPort, generatedPassword, List.copyOf(timers));
        })
        .onFailure(failure -> timers.forEach(vertx::cancelTimer));
  }

  private Future<Void> bootstrapAdmin() {
    return services.users().bootstrapAdmin(config.adminPassword(), config.dataDir())
        .map(password -> generatedPassword = config.adminPassword() == null ? password : null)
        .mapEmpty();
  }

  /**
   * What every instance shares from the bus: bot events, device telemetry and events, node
   * heartbeats, and the chat of the nodes' microphones.
   */
  private Future<Void> listen() {
    return new BotEventsListener(services.bots(), services.live().bots()).register(vertx)
        .compose(listening -> new DeviceEventsListener(services.liveDevices()).register(vertx))
        .compose(listening -> services.nodes().register(vertx))
        .compose(listening -> new ChatBusListener(services.api().chat(), services.users(), clock).register(vertx))
        .mapEmpty();
  }

  /**
   * One verticle instance per core on one port. Port 0 ("any") becomes -1: Vert.x then binds one
   * random port shared by all instances.
   */
  private Future<Void> deployHttp() {
    int port = config.http().port() == 0 ? -1 : config.http().port();
    List<HttpApiVerticle> instances = new CopyOnWriteArrayList<>();
    EventsApi events = EventsApi.create(services.api().auth(), config.ws());
    CommandApi commands = CommandApi.create(services.api().chat(), services.api().voice().client(), events, config.nodeId(),
        config.voice().maxSeconds());
    return ApiContract.load(vertx)
        .compose(contract -> vertx.deployVerticle(() -> {
          HttpApiVerticle verticle = new HttpApiVerticle(services.api(), contract, port, events, commands);
          instances.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(config.http().effectiveInstances())))
        .map(id -> httpPort = instances.get(0).actualPort())
        .mapEmpty();
  }

  /**
   * Like the HTTP verticle: one instance per core sharing one port. Port 0 becomes -2, not -1: Vert.x
   * shares one random port among all TCP servers with the same negative port, so -1 would put MQTT
   * on the HTTP listener and hand every other connection to the wrong protocol.
   */
  private Future<Void> deployMqtt() {
    int port = config.mqtt().port() == 0 ? -2 : config.mqtt().port();
    List<MqttIngressVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      MqttIngressVerticle verticle = new MqttIngressVerticle(services.mqtt(), port);
      instances.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(config.mqtt().effectiveInstances()))
        .map(id -> mqttPort = instances.get(0).actualPort())
        .mapEmpty();
  }

  /** The single-node default: this process also runs the executor of its own node, whose bots reach it on this host. */
  private NodeSettings ownNode() {
    return new NodeSettings(config.node(), config.dataDir(), config.executor(), "http://127.0.0.1:" + httpPort, mqttUrl(),
        config.gpio(), config.voice(), config.microphone());
  }

  /**
   * Bots run on this host: a wildcard listener is reached on loopback, a specific address as
   * configured; {@code mqtts://} when the listener speaks TLS.
   */
  private String mqttUrl() {
    String host = config.mqtt().host();
    boolean wildcard = host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host);
    String reachable = wildcard ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
    return (config.mqtt().tlsCert() != null ? "mqtts://" : "mqtt://") + reachable + ":" + mqttPort;
  }

  private Future<Void> writePorts() {
    JsonObject ports = new JsonObject().put("http", httpPort).put("mqtt", mqttPort);
    Path dataDir = config.dataDir();
    return vertx.executeBlocking(() -> {
      Path tmp = dataDir.resolve("ports.json.tmp");
      Files.writeString(tmp, ports.encodePrettily());
      return Files.move(tmp, dataDir.resolve("ports.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }).mapEmpty();
  }
}
