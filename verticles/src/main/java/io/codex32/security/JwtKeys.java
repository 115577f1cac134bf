package io.codex32.security;

import java.nio.file.Path;

/**
 * The ES256 key pair that signs access tokens. Generated into {@code <data>/keys/} on first start
 * (private key readable by the owner only) or read from configured PEM files, so edge nodes can
 * verify tokens with the public key alone. Blocking: call from a worker thread.
 */
public final class JwtKeys {

  public static JwtKeys loadOrCreate(Path dataDir, String privateKeyPemPath, String publicKeyPemPath) {
    throw new UnsupportedOperationException("TODO");
  }

  public String privateKeyPem() {
    throw new UnsupportedOperationException("TODO");
  }

  public String publicKeyPem() {
    throw new UnsupportedOperationException("TODO");
  }
}
