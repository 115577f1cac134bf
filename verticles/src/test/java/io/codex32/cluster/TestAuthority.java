package io.codex32.cluster;

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
record TestAuthority(Path dir, Path cert, Path key) {

  /** PEM files of one member: what {@code cluster.tls.cert} and {@code cluster.tls.key} name. */
  record Member(Path cert, Path key) {
  }

  static TestAuthority create(Path dir, String name) throws IOException, InterruptedException {
    Path cert = dir.resolve(name + "-ca.pem");
    Path key = dir.resolve(name + "-ca.key");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=" + name + " cluster CA", "-keyout", key.toString(), "-out", cert.toString());
    return new TestAuthority(dir, cert, key);
  }

  Member issue(String member) throws IOException, InterruptedException {
    Path key = dir.resolve(member + ".key");
    Path request = dir.resolve(member + ".csr");
    Path extensions = dir.resolve(member + ".ext");
    Path cert = dir.resolve(member + ".pem");
    openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + member,
        "-keyout", key.toString(), "-out", request.toString());
    Files.writeString(extensions, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n");
    openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", this.cert.toString(), "-CAkey", this.key.toString(),
        "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
    return new Member(cert, key);
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
