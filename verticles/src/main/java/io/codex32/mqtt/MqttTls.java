package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.vertx.core.Future;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.util.function.Function;

/** MQTT over TLS: the server certificate chain and its private key from the PEM files in {@code mqtt.tls.*}. */
final class MqttTls {

  private MqttTls() {
  }

  /** Switches {@code options} to TLS when the configuration names a certificate; plain TCP otherwise. */
  static MqttServerOptions apply(MqttServerOptions options, MqttConfig config) {
    if (!config.tls()) {
      return options;
    }
    options.setSsl(true);
    options.setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(config.tlsCert().toAbsolutePath().toString())
        .setKeyPath(config.tlsKey().toAbsolutePath().toString()));
    return options;
  }

  /**
   * A failed listen with TLS names the two files: Vert.x reports a bad PEM file only as, e.g.,
   * "Missing -----BEGIN PRIVATE KEY----- ... delimiter".
   */
  static <T> Function<Throwable, Future<T>> explainFailure(MqttConfig config) {
    return e -> Future.failedFuture(!config.tls() ? e : new IllegalStateException("MQTT listener (TLS, mqtt.tls.cert "
        + config.tlsCert().toAbsolutePath() + ", mqtt.tls.key " + config.tlsKey().toAbsolutePath() + ") did not start: "
        + e.getMessage(), e));
  }
}
