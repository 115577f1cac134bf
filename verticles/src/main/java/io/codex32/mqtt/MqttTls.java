package io.codex32.mqtt;

import io.codex32.config.MqttConfig;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttServerOptions;

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
}
