package io.codex32.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.test.TestAuthority;
import io.codex32.test.TestAuthority.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster.tls.*} files are checked when the configuration loads, so a member whose files
 * could never complete a handshake stops at start (exit 2) with a line naming the key, instead of
 * joining the cluster and failing every exchange. Certificates are made with openssl at test time.
 */
@Timeout(120)
class ClusterTlsConfigTest {

  @TempDir
  static Path dir;
  private static TestAuthority ca;
  private static Member member;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Assumptions.assumeTrue(TestAuthority.opensslInstalled(), "openssl is not installed");
    ca = TestAuthority.create(dir, "codex32");
    member = ca.issue("gw-1");
  }

  @Test
  void certificateKeyAndCaOfOneClusterTurnTlsOn() {
    ClusterConfig cluster = load(member.cert(), member.key(), ca.cert()).cluster();
    assertThat(cluster.tls()).isTrue();
    assertThat(cluster.tlsCert()).isEqualTo(member.cert().toString());
    assertThat(load(Map.of()).cluster().tls()).as("no key at all: a plain bus").isFalse();
  }

  @Test
  void rsaKeysAndTheTraditionalKeyFormatsAreAccepted() throws Exception {
    Member rsa = ca.issue("gw-rsa", "rsa", "serverAuth,clientAuth", 2);
    ca.openssl("pkey", "-in", rsa.key().toString(), "-traditional", "-out", "gw-rsa-pkcs1.key");
    ca.openssl("pkey", "-in", member.key().toString(), "-traditional", "-out", "gw-1-sec1.key");
    assertThat(Files.readString(dir.resolve("gw-rsa-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("gw-1-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

    assertThat(load(rsa.cert(), rsa.key(), ca.cert()).cluster().tls()).isTrue();
    assertThat(load(rsa.cert(), dir.resolve("gw-rsa-pkcs1.key"), ca.cert()).cluster().tls()).isTrue();
    assertThat(load(member.cert(), dir.resolve("gw-1-sec1.key"), ca.cert()).cluster().tls()).isTrue();
  }

  @Test
  void eachMissingFileOfTheThreeIsNamed() {
    assertRefused(Map.of("CODEX32_CLUSTER_TLS_CERT", member.cert().toString()), "cluster.tls.key: ", "together");
    assertRefused(Map.of("CODEX32_CLUSTER_TLS_KEY", member.key().toString()), "cluster.tls.cert: ", "together");
    assertRefused(Map.of("CODEX32_CLUSTER_TLS_CERT", member.cert().toString(), "CODEX32_CLUSTER_TLS_KEY", member.key().toString()),
        "cluster.tls.ca: ", "together");
    assertRefused(Map.of("CODEX32_CLUSTER_TLS_CA", ca.cert().toString()), "cluster.tls.cert: ", "together");
  }

  @Test
  void absentDirectoryOrOversizedFilesAreRefused() throws Exception {
    Path oversized = Files.write(dir.resolve("huge.pem"), new byte[(int) ClusterTlsFiles.MAX_FILE_BYTES + 1]);

    assertRefused(member.cert(), dir.resolve("nowhere.key"), ca.cert(), "cluster.tls.key: ", "file not found: ");
    assertRefused(member.cert(), member.key(), dir, "cluster.tls.ca: ", "not a regular file: ");
    assertRefused(oversized, member.key(), ca.cert(), "cluster.tls.cert: ", "larger than");
  }

  @Test
  void unreadableKeyIsRefused() throws Exception {
    Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
    Path locked = Files.copy(member.key(), dir.resolve("locked.key"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));

    assertRefused(member.cert(), locked, ca.cert(), "cluster.tls.key: ", "not readable");
  }

  @Test
  void swappedOrForeignFilesAreRefused() throws Exception {
    Member other = ca.issue("gw-2");

    assertRefused(member.key(), member.cert(), ca.cert(), "cluster.tls.cert: ", "no PEM certificate");
    assertRefused(member.cert(), member.cert(), ca.cert(), "cluster.tls.key: ", "not a readable PEM private key");
    assertRefused(member.cert(), other.key(), ca.cert(), "cluster.tls.key: ", "not the private key of the certificate");
    assertRefused(member.cert(), member.key(), ca.key(), "cluster.tls.ca: ", "no PEM certificate");
  }

  @Test
  void encryptedKeyIsRefusedWithTheWayOut() throws Exception {
    ca.openssl("pkey", "-in", member.key().toString(), "-aes256", "-passout", "pass:secret", "-out", "gw-1-encrypted.key");

    assertRefused(member.cert(), dir.resolve("gw-1-encrypted.key"), ca.cert(), "cluster.tls.key: ", "openssl pkey");
  }

  @Test
  void certificateOfAnotherCaIsRefused() throws Exception {
    Member stranger = TestAuthority.create(Files.createDirectories(dir.resolve("rogue")), "rogue").issue("stranger");

    assertRefused(stranger.cert(), stranger.key(), ca.cert(), "cluster.tls.cert: ", "not signed by a CA in cluster.tls.ca");
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Member expired = ca.issue("gw-expired", "ec", "serverAuth,clientAuth", -1);

    assertRefused(expired.cert(), expired.key(), ca.cert(), "cluster.tls.cert: ", "expired on");
  }

  @Test
  void certificateThatCannotServeBothEndsOfAConnectionIsRefused() throws Exception {
    Member webServer = ca.issue("gw-web", "ec", "serverAuth", 2);
    Member anyUsage = ca.issue("gw-any", "ec", "anyExtendedKeyUsage", 2);

    assertRefused(webServer.cert(), webServer.key(), ca.cert(), "cluster.tls.cert: ", "serverAuth and clientAuth");
    assertThat(load(anyUsage.cert(), anyUsage.key(), ca.cert()).cluster().tls()).isTrue();
  }

  private static GatewayConfig load(Path cert, Path key, Path caCert) {
    return load(Map.of("CODEX32_CLUSTER_TLS_CERT", cert.toString(), "CODEX32_CLUSTER_TLS_KEY", key.toString(),
        "CODEX32_CLUSTER_TLS_CA", caCert.toString()));
  }

  private static GatewayConfig load(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("CODEX32_DATA_DIR", dir.resolve("data").toString());
    return GatewayConfig.load(List.of(), all);
  }

  private static void assertRefused(Path cert, Path key, Path caCert, String prefix, String problem) {
    assertThatThrownBy(() -> load(cert, key, caCert)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(prefix).hasMessageContaining(problem);
  }

  private static void assertRefused(Map<String, String> env, String prefix, String problem) {
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(prefix).hasMessageContaining(problem);
  }
}
