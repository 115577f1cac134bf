package io.codex32.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with openssl at test time, issuing member certificates
 * with the commands docs/operations.md gives operators (EC P-256, serverAuth + clientAuth).
 */
public record TestAuthority(Path dir, Path cert, Path key) {

  /** PEM files of one member: what {@code cluster.tls.cert} and {@code cluster.tls.key} name. */
  public record Member(Path cert, Path key) {
  }

  public static boolean opensslInstalled() {
    return Files.isExecutable(Path.of("/usr/bin/openssl"));
  }

  public static TestAuthority create(Path dir, String name) throws IOException, InterruptedException {
    Path cert = dir.resolve(name + "-ca.pem");
    Path key = dir.resolve(name + "-ca.key");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=" + name + " cluster CA", "-keyout", key.toString(), "-out", cert.toString());
    return new TestAuthority(dir, cert, key);
  }

  public Member issue(String member) throws IOException, InterruptedException {
    return issue(member, "ec", "serverAuth,clientAuth", 2);
  }

  /**
   * A member certificate with an {@code rsa} (2048 bits) or {@code ec} (P-256) key, the given
   * extendedKeyUsage, valid for {@code days} from now (negative: expired that many days ago).
   */
  public Member issue(String member, String keyAlgorithm, String extendedKeyUsage, int days) throws IOException,
      InterruptedException {
    Path key = dir.resolve(member + ".key");
    Path request = dir.resolve(member + ".csr");
    Path extensions = dir.resolve(member + ".ext");
    Path cert = dir.resolve(member + ".pem");
    List<String> newKey = keyAlgorithm.equals("rsa") ? List.of("-newkey", "rsa:2048")
        : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    List<String> req = new ArrayList<>(List.of("req", "-new"));
    req.addAll(newKey);
    req.addAll(List.of("-nodes", "-subj", "/CN=" + member, "-keyout", key.toString(), "-out", request.toString()));
    openssl(dir, req.toArray(String[]::new));
    Files.writeString(extensions, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=" + extendedKeyUsage + "\n");
    openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", this.cert.toString(), "-CAkey", this.key.toString(),
        "-CAcreateserial", "-days", Integer.toString(days), "-extfile", extensions.toString(), "-out", cert.toString());
    return new Member(cert, key);
  }

  /** Runs openssl in this authority's directory, e.g. to convert a key. */
  public void openssl(String... arguments) throws IOException, InterruptedException {
    openssl(dir, arguments);
  }

  private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
