package io.codex32.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An MQTT 3.1.1 / 5 client on a plain socket that does exactly what a test says and nothing else:
 * it acknowledges nothing by itself, and shows each packet as it came (DUP flag, packet id).
 */
final class RawMqttClient implements AutoCloseable {

  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int SUBACK = 9;
  static final int PINGRESP = 13;
  private static final int READ_TIMEOUT_MS = 15_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final boolean v5;

  /** One packet as read: its type, the flags of its first byte, and the rest. */
  record Packet(int type, int flags, byte[] body) {
  }

  /** A PUBLISH as read. */
  record Publish(String topic, int packetId, boolean dup, int qos, String payload) {
  }

  /** A CONNACK as read: session present and the return/reason code. */
  record Connack(boolean sessionPresent, int code) {
  }

  private RawMqttClient(Socket socket, boolean v5) throws IOException {
    this.socket = socket;
    this.socket.setSoTimeout(READ_TIMEOUT_MS);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.v5 = v5;
  }

  static RawMqttClient open(int port, boolean v5) throws IOException {
    return new RawMqttClient(new Socket("127.0.0.1", port), v5);
  }

  /** CONNECT with username = client id; {@code sessionExpiry} only for MQTT 5 (null: property absent). */
  Connack connect(String clientId, String password, boolean cleanStart, Long sessionExpiry) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(v5 ? 5 : 4);
    body.write(0x80 | 0x40 | (cleanStart ? 0x02 : 0));
    body.write(0);
    body.write(60);
    if (v5) {
      ByteArrayOutputStream props = new ByteArrayOutputStream();
      if (sessionExpiry != null) {
        props.write(0x11);
        writeInt(props, sessionExpiry);
      }
      writeVarInt(body, props.size());
      body.writeBytes(props.toByteArray());
    }
    writeString(body, clientId);
    writeString(body, clientId);
    writeString(body, password);
    send(0x10, body.toByteArray());
    Packet connack = read();
    if (connack.type() != CONNACK) {
      throw new IOException("expected CONNACK, got packet type " + connack.type());
    }
    byte[] b = connack.body();
    return new Connack((b[0] & 1) == 1, b[1] & 0xff);
  }

  /** SUBSCRIBE to one filter at QoS 1; returns the SUBACK's return/reason code. */
  int subscribe(int packetId, String filter) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xff);
    if (v5) {
      body.write(0);
    }
    writeString(body, filter);
    body.write(1);
    send(0x82, body.toByteArray());
    Packet suback = read();
    if (suback.type() != SUBACK) {
      throw new IOException("expected SUBACK, got packet type " + suback.type());
    }
    byte[] b = suback.body();
    int pos = 2;
    if (v5) {
      int[] p = {2};
      pos = readVarInt(b, p) + p[0];
    }
    return b[pos] & 0xff;
  }

  void puback(int packetId) throws IOException {
    send(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  void pingreq() throws IOException {
    send(0xC0, new byte[0]);
  }

  void disconnect() throws IOException {
    send(0xE0, v5 ? new byte[] {0, 0} : new byte[0]);
  }

  /** The next packet, which must be a PUBLISH. */
  Publish readPublish() throws IOException {
    Packet packet = read();
    if (packet.type() != PUBLISH) {
      throw new IOException("expected PUBLISH, got packet type " + packet.type());
    }
    return publishOf(packet);
  }

  private Publish publishOf(Packet packet) {
    byte[] b = packet.body();
    int topicLength = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    String topic = new String(b, 2, topicLength, StandardCharsets.UTF_8);
    int pos = 2 + topicLength;
    int qos = (packet.flags() >> 1) & 3;
    int packetId = 0;
    if (qos > 0) {
      packetId = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
    }
    if (v5) {
      int[] p = {pos};
      pos = readVarInt(b, p) + p[0];
    }
    return new Publish(topic, packetId, (packet.flags() & 0x08) != 0, qos,
        new String(Arrays.copyOfRange(b, pos, b.length), StandardCharsets.UTF_8));
  }

  Packet read() throws IOException {
    int first = in.readUnsignedByte();
    int length = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.readUnsignedByte();
      length += (digit & 0x7f) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    return new Packet(first >> 4, first & 0x0f, body);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void send(int header, byte[] body) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(header);
    writeVarInt(packet, body.length);
    packet.writeBytes(body);
    out.write(packet.toByteArray());
    out.flush();
  }

  private static int readVarInt(byte[] b, int[] pos) {
    int value = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = b[pos[0]++] & 0xff;
      value += (digit & 0x7f) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    return value;
  }

  private static void writeVarInt(ByteArrayOutputStream out, int value) {
    int length = value;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }

  private static void writeInt(ByteArrayOutputStream out, long value) {
    out.write((int) (value >> 24) & 0xff);
    out.write((int) (value >> 16) & 0xff);
    out.write((int) (value >> 8) & 0xff);
    out.write((int) value & 0xff);
  }

  private static void writeString(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xff);
    out.writeBytes(bytes);
  }
}
