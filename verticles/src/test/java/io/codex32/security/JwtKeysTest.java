package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JwtKeysTest {

  @TempDir
  Path dataDir;

  @Test
  void generatesPairOnceAndReusesItOnLaterStarts() throws IOException {
    JwtKeys first = JwtKeys.loadOrCreate(dataDir, null, null);
    JwtKeys second = JwtKeys.loadOrCreate(dataDir, "", " ");

    assertThat(first.canSign()).isTrue();
    assertThat(first.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(first.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(second.privateKeyPem()).isEqualTo(first.privateKeyPem());
    assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
    assertThat(Files.readString(keysDir().resolve(JwtKeys.PRIVATE_KEY_FILE))).isEqualTo(first.privateKeyPem());
    assertThat(Files.readString(keysDir().resolve(JwtKeys.PUBLIC_KEY_FILE))).isEqualTo(first.publicKeyPem());
    try (Stream<Path> files = Files.list(keysDir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temp files left behind")
          .containsExactlyInAnyOrder(JwtKeys.PRIVATE_KEY_FILE, JwtKeys.PUBLIC_KEY_FILE);
    }
  }

  @Test
  void privateKeyIsReadableByOwnerOnly() throws IOException {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    JwtKeys.loadOrCreate(dataDir, null, null);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir().resolve(JwtKeys.PRIVATE_KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir())))
        .isEqualTo("rwx------");
  }

  @Test
  void readsConfiguredPemFiles() throws IOException {
    JwtKeys generated = JwtKeys.loadOrCreate(dataDir.resolve("a"), null, null);
    Path privatePem = Files.writeString(dataDir.resolve("sign.pem"), generated.privateKeyPem());
    Path publicPem = Files.writeString(dataDir.resolve("verify.pem"), generated.publicKeyPem());

    JwtKeys configured = JwtKeys.loadOrCreate(dataDir.resolve("b"), privatePem.toString(), publicPem.toString());

    assertThat(configured.privateKeyPem()).isEqualTo(generated.privateKeyPem());
    assertThat(configured.publicKeyPem()).isEqualTo(generated.publicKeyPem());
    assertThat(dataDir.resolve("b")).as("nothing generated").doesNotExist();
  }

  @Test
  void publicKeyAloneIsVerifyOnly() throws IOException {
    JwtKeys generated = JwtKeys.loadOrCreate(dataDir.resolve("a"), null, null);
    Path publicPem = Files.writeString(dataDir.resolve("verify.pem"), generated.publicKeyPem());

    JwtKeys verifyOnly = JwtKeys.loadOrCreate(dataDir.resolve("b"), null, publicPem.toString());

    assertThat(verifyOnly.canSign()).isFalse();
    assertThat(verifyOnly.publicKeyPem()).isEqualTo(generated.publicKeyPem());
    assertThatThrownBy(verifyOnly::privateKeyPem).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badOrMissingPemFailsNamingTheFile() throws IOException {
    JwtKeys generated = JwtKeys.loadOrCreate(dataDir.resolve("a"), null, null);
    Path garbage = Files.writeString(dataDir.resolve("garbage.pem"),
        "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n");
    Path missing = dataDir.resolve("missing.pem");
    Path swapped = Files.writeString(dataDir.resolve("swapped.pem"), generated.privateKeyPem());

    assertThatThrownBy(() -> JwtKeys.loadOrCreate(dataDir, null, garbage.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> JwtKeys.loadOrCreate(dataDir, null, missing.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> JwtKeys.loadOrCreate(dataDir, null, swapped.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(swapped.toString());
  }

  @Test
  void mismatchedPairIsRejected() throws IOException {
    JwtKeys one = JwtKeys.loadOrCreate(dataDir.resolve("a"), null, null);
    JwtKeys other = JwtKeys.loadOrCreate(dataDir.resolve("b"), null, null);
    Path privatePem = Files.writeString(dataDir.resolve("sign.pem"), one.privateKeyPem());
    Path publicPem = Files.writeString(dataDir.resolve("verify.pem"), other.publicKeyPem());

    assertThatThrownBy(() -> JwtKeys.loadOrCreate(dataDir, privatePem.toString(), publicPem.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> JwtKeys.loadOrCreate(dataDir, privatePem.toString(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(privatePem.toString());
  }

  private Path keysDir() {
    return dataDir.resolve("keys");
  }
}
