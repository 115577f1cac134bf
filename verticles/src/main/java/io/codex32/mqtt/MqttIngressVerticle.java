package io.codex32.mqtt;

import io.codex32.devices.Device;
import io.codex32.devices.DeviceTopics;
import io.codex32.error.Codex32Exception;
import io.codex32.security.TokenService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1 / 5 listener for devices and bots: authenticates CONNECT (username = client id =
 * device id, password = the device's secret; or username = client id = bot id, password = the bot's
 * CODEX32_BOT_TOKEN), then hands the connection to a {@link DeviceSession} or {@link BotSession}. One instance
 * per core shares one port. Malformed or oversized packets fail only their own connection: the
 * decoder error closes that channel and nothing else.
 */
public final class MqttIngressVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MqttIngressVerticle.class);
  /** Seconds a client has between TCP connect and CONNECT. */
  private static final int CONNECT_TIMEOUT_S = 10;

  private final MqttServices services;
  private final int port;
  private volatile int actualPort = -1;

  public MqttIngressVerticle(MqttServices services, int port) {
    this.services = services;
    this.port = port;
  }

  public int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    MqttServerOptions options = MqttTls.apply(new MqttServerOptions()
        .setHost(services.config().host())
        .setPort(port)
        .setMaxMessageSize(services.config().maxMessageBytes())
        .setTimeoutOnConnect(CONNECT_TIMEOUT_S), services.config());
    return MqttServer.create(vertx, options)
        .endpointHandler(this::onConnect)
        .exceptionHandler(e -> LOG.debug("MQTT connection failed: {}", e.toString()))
        .listen()
        .recover(MqttTls.explainFailure(services.config()))
        .onSuccess(server -> actualPort = server.actualPort());
  }

  private void onConnect(MqttEndpoint endpoint) {
    int version = endpoint.protocolVersion();
    String address = endpoint.remoteAddress() == null ? "unknown" : endpoint.remoteAddress().hostAddress();
    if (!services.limiter().tryAcquire(address)) {
      refuse(endpoint, ConnectRefusal.RATE_EXCEEDED, "too many connection attempts from " + address);
      return;
    }
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    if (username != null && !username.equals(endpoint.clientIdentifier())) {
      refuse(endpoint, ConnectRefusal.BAD_CLIENT_ID, "client id '" + endpoint.clientIdentifier() + "' is not the device id " + username);
      return;
    }
    if (TokenService.looksLikeBotToken(password)) {
      connectBot(endpoint, username, password);
      return;
    }
    services.devices().authenticate(username, password)
        .compose(checkWill(endpoint))
        .onSuccess(device -> new DeviceSession(vertx, endpoint, device, services).start())
        .onFailure(e -> refuse(endpoint, ConnectRefusal.of(e), e.getMessage()));
    LOG.debug("MQTT {} CONNECT from {} as {}", version, address, username);
  }

  /**
   * A bot: username = client id = bot id, password = its CODEX32_BOT_TOKEN (a bot token names its
   * bot; a device secret never looks like one, so the password decides which kind connects).
   */
  private void connectBot(MqttEndpoint endpoint, String username, String password) {
    services.auth().authenticateBot(password)
        .compose(principal -> {
          if (!principal.botId().equals(username)) {
            return Future.failedFuture(Codex32Exception.unauthorized("invalid_token", "the token is not bot " + username + "'s"));
          }
          if (endpoint.will() != null && endpoint.will().isWillFlag()) {
            return Future.failedFuture(Codex32Exception.forbidden("bots may not set a will"));
          }
          return Future.succeededFuture(principal.botId());
        })
        .onSuccess(botId -> new BotSession(vertx, endpoint, botId, services).start(() -> services.auth().authenticateBot(password)))
        .onFailure(e -> refuse(endpoint, ConnectRefusal.of(e), "bot " + username + ": " + e.getMessage()));
  }

  /** A will may only go to a topic the device could publish to itself. */
  private Function<Device, Future<Device>> checkWill(MqttEndpoint endpoint) {
    return device -> {
      if (endpoint.will() != null && endpoint.will().isWillFlag()
          && DeviceTopics.publishKind(device.id(), endpoint.will().getWillTopic()) == null) {
        return Future.failedFuture(Codex32Exception.forbidden("will topic not allowed"));
      }
      return Future.succeededFuture(device);
    };
  }

  private static void refuse(MqttEndpoint endpoint, ConnectRefusal refusal, String why) {
    LOG.info("MQTT CONNECT refused ({}): {}", refusal, why);
    if (!endpoint.isConnected()) {
      endpoint.reject(refusal.code(endpoint.protocolVersion()));
    }
  }
}
