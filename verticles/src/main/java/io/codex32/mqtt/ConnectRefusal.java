package io.codex32.mqtt;

import io.codex32.error.Codex32Exception;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * The one place where a refused CONNECT becomes a CONNACK code. MQTT 5 clients get v5 reason codes
 * (0x86, 0x87, ...): a v3 code in a v5 CONNACK is a protocol error to them.
 */
enum ConnectRefusal {
  BAD_CREDENTIALS(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  NOT_AUTHORIZED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  BAD_CLIENT_ID(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
      MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
  /** MQTT 3.1.1 has no rate code; "server unavailable" tells the client to come back later. */
  RATE_EXCEEDED(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
      MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED),
  UNAVAILABLE(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5);

  static final int MQTT_5 = 5;

  private final MqttConnectReturnCode v3;
  private final MqttConnectReturnCode v5;

  ConnectRefusal(MqttConnectReturnCode v3, MqttConnectReturnCode v5) {
    this.v3 = v3;
    this.v5 = v5;
  }

  MqttConnectReturnCode code(int protocolVersion) {
    return protocolVersion >= MQTT_5 ? v5 : v3;
  }

  /** Maps the domain's failure of an authentication. */
  static ConnectRefusal of(Throwable failure) {
    if (failure instanceof Codex32Exception e) {
      return switch (e.status()) {
        case 401 -> BAD_CREDENTIALS;
        case 403 -> NOT_AUTHORIZED;
        default -> UNAVAILABLE;
      };
    }
    return UNAVAILABLE;
  }
}
