package io.codex32.nodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Properties;

/** Who a node is: its configured id and labels, the host it runs on, and the Codex-32 version it runs. */
public record NodeIdentity(String id, Map<String, String> labels, String hostname, String version) {

  public NodeIdentity {
    labels = Map.copyOf(labels);
  }

  /** The identity of this process's node. Blocking (host name lookup, resource read). */
  public static NodeIdentity local(String id, Map<String, String> labels) {
    return new NodeIdentity(id, labels, localHostname(), runningVersion());
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  static String runningVersion() {
    try (InputStream in = NodeIdentity.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
