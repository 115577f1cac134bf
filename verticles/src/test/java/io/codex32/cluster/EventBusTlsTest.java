package io.codex32.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.config.ClusterConfig;
import io.codex32.test.Await;
import io.codex32.test.LogRecorder;
import io.codex32.test.TestAuthority;
import io.codex32.test.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clustered event bus with TLS ({@code cluster.tls.*}): members started through
 * {@link ClusteredVertx} in this JVM on 127.0.0.1, certificates made with openssl at test time. A
 * gateway (data member) and an edge node (lite member) hold certificates of the cluster's CA; an
 * impostor holds one of another CA but trusts the cluster's CA (it has the public CA certificate,
 * nothing else); a plain member has no TLS at all. Hazelcast membership itself is not encrypted, so
 * all four are in one cluster and know each other's event-bus addresses: only TLS keeps them apart.
 */
@Timeout(300)
class EventBusTlsTest {

  /** Joining a cluster on a saturated 2-core machine has taken up to 17 s per member. */
  private static final long START_TIMEOUT_S = 120;
  /** Bound on a request that must fail: the sender gives up after this, well within {@link Await}'s deadline. */
  private static final long REFUSED_TIMEOUT_MS = 2000;
  /** Bound on a request that must succeed: generous, it includes a first TLS handshake on a loaded machine. */
  private static final long ANSWERED_TIMEOUT_MS = 30_000;

  private static final Map<String, Vertx> MEMBERS = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();
  private static Path dir;
  private static Vertx relayVertx;
  private static TcpRelay relay;
  private static LogRecorder busLog;

  @BeforeAll
  static void startMembers() throws Exception {
    Assumptions.assumeTrue(TestAuthority.opensslInstalled(), "openssl is not installed");
    busLog = LogRecorder.attach("io.vertx.core.eventbus.impl.clustered", "io.vertx.core.net.impl.ConnectionBase");
    dir = Files.createTempDirectory("codex32-bus-tls");
    TestAuthority clusterCa = TestAuthority.create(dir, "codex32");
    TestAuthority.Member gatewayCert = clusterCa.issue("gateway");
    TestAuthority.Member edgeCert = clusterCa.issue("edge");
    TestAuthority.Member impostorCert = TestAuthority.create(dir, "rogue").issue("impostor");

    relayVertx = TestVertx.create();
    int edgeBusPort = freePort();
    relay = TcpRelay.start(relayVertx, edgeBusPort).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    int seedPort = freePort();
    String seed = "127.0.0.1:" + seedPort;
    String ca = clusterCa.cert().toString();

    join("gateway", config(seed, seedPort, 0, gatewayCert, ca), false, TestVertx.options()).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    // the edge node advertises the relay's port: whoever sends to it goes through the relay
    VertxOptions throughRelay = TestVertx.options();
    throughRelay.getEventBusOptions().setClusterPublicPort(relay.port());
    Future.all(
        join("edge", config(seed, freePort(), edgeBusPort, edgeCert, ca), true, throughRelay),
        join("impostor", config(seed, freePort(), 0, impostorCert, ca), true, TestVertx.options()),
        join("plain", config(seed, freePort(), 0, null, null), true, TestVertx.options()))
        .await(START_TIMEOUT_S, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopMembers() throws Exception {
    // lite members first: the gateway holds the cluster's data and would otherwise report them lost
    Future.join(MEMBERS.entrySet().stream().filter(member -> !member.getKey().equals("gateway"))
        .map(member -> member.getValue().close()).toList()).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    if (MEMBERS.containsKey("gateway")) {
      MEMBERS.get("gateway").close().await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
    if (relayVertx != null) {
      relayVertx.close().await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
    if (busLog != null) {
      busLog.close();
    }
    if (dir != null) {
      // the generated private keys do not outlive the test
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void membersSignedByTheClustersCaExchangeRequestsAndReplies() {
    assertThat(answer("gateway", "edge", "status?")).isEqualTo("edge got status?");
    assertThat(answer("edge", "gateway", "heartbeat")).isEqualTo("gateway got heartbeat");
  }

  @Test
  void whatTravelsBetweenMembersIsTlsNotTheMessage() {
    String marker = "bot-token-0123456789-must-not-leak";
    assertThat(answer("gateway", "edge", marker)).isEqualTo("edge got " + marker);

    byte[] wire = relay.captured();
    // the stream opens with a TLS handshake record (type 0x16, version 3.x); the message is nowhere in clear
    assertThat(wire.length).isGreaterThan(marker.length());
    assertThat(wire[0]).isEqualTo((byte) 0x16);
    assertThat(wire[1]).isEqualTo((byte) 0x03);
    assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain(marker).doesNotContain("edge.inbox");
  }

  @Test
  void aMemberSignedByAnotherCaCannotSendToTheCluster() {
    String marker = "from-the-impostor";

    assertRefused(request("impostor", "gateway", marker, REFUSED_TIMEOUT_MS));
    assertThat(RECEIVED.get("gateway")).doesNotContain(marker);
    // the gateway asked for the impostor's certificate and rejected it during the handshake
    Await.until(() -> busLog.logged("SSLHandshakeException", "bad_certificate"),
        "the gateway's refusal of the impostor's certificate is logged");
  }

  @Test
  void theClusterSendsNothingToAMemberSignedByAnotherCa() {
    String marker = "for-the-impostor";

    assertRefused(request("gateway", "impostor", marker, REFUSED_TIMEOUT_MS));
    assertThat(RECEIVED.get("impostor")).doesNotContain(marker);
    // the gateway did not find the impostor's certificate signed by the cluster's CA
    Await.until(() -> busLog.logged("Connecting to server " + nodeId("impostor") + " failed", "SSLHandshakeException",
        "PKIX path building failed"), "the gateway's refusal of the impostor's certificate is logged");
  }

  @Test
  void aMemberWithoutTlsNeitherSendsToNorHearsFromTlsMembers() {
    Future<String> sent = request("plain", "gateway", "plain-to-gateway", REFUSED_TIMEOUT_MS);
    Future<String> heard = request("gateway", "plain", "gateway-to-plain", REFUSED_TIMEOUT_MS);

    assertRefused(sent);
    assertRefused(heard);

    assertThat(RECEIVED.get("gateway")).doesNotContain("plain-to-gateway");
    assertThat(RECEIVED.get("plain")).doesNotContain("gateway-to-plain");
  }

  private static ClusterConfig config(String seed, int port, int eventBusPort, TestAuthority.Member cert, String ca) {
    return new ClusterConfig(true, List.of(seed), null, "127.0.0.1", port, eventBusPort, 1000, 5000,
        cert == null ? null : cert.cert().toString(), cert == null ? null : cert.key().toString(), ca);
  }

  /** Joins the cluster as {@code name} with a consumer on {@code <name>.inbox} that answers "<name> got <body>". */
  private static Future<Vertx> join(String name, ClusterConfig config, boolean lite, VertxOptions options) {
    RECEIVED.put(name, new CopyOnWriteArrayList<>());
    return ClusteredVertx.start(options, config, lite).compose(vertx -> {
      MEMBERS.put(name, vertx);
      return vertx.eventBus().<String>consumer(name + ".inbox", message -> {
        RECEIVED.get(name).add(message.body());
        message.reply(name + " got " + message.body());
      }).completion().map(vertx);
    });
  }

  private static Future<String> request(String from, String to, String body, long timeoutMs) {
    return MEMBERS.get(from).eventBus().<String>request(to + ".inbox", body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  /**
   * Routed to the recipient (which the sender knows of: not NO_HANDLERS) and never answered: the
   * message did not get through, and its loss is not about unknown addresses.
   */
  private static void assertRefused(Future<String> request) {
    Throwable failure = Await.cause(request);
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).as(failure.toString()).isEqualTo(ReplyFailure.TIMEOUT);
  }

  /** The reply; asks again while the sender has not yet learnt of the consumer (registrations spread through Hazelcast). */
  private static String answer(String from, String to, String body) {
    return Await.until(() -> answerOrNull(from, to, body), Objects::nonNull, from + " -> " + to + " answered");
  }

  /** Null while the sender knows no consumer yet; any other failure fails the test at once. */
  private static String answerOrNull(String from, String to, String body) {
    try {
      return request(from, to, body, ANSWERED_TIMEOUT_MS).await();
    } catch (ReplyException e) {
      if (e.failureType() != ReplyFailure.NO_HANDLERS) {
        throw new AssertionError(from + " -> " + to + " failed", e);
      }
      return null;
    }
  }

  private static String nodeId(String member) {
    return ((VertxInternal) MEMBERS.get(member)).clusterManager().getNodeId();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
