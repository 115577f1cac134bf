package io.codex32.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ES256 key pair that signs access tokens. Generated into {@code <data>/keys/} on first start
 * (private key readable by the owner only) or read from configured PEM files, so edge nodes can
 * verify tokens with the public key alone. Blocking: call from a worker thread.
 */
public final class JwtKeys {

  public static final String PRIVATE_KEY_FILE = "jwt-es256-private.pem";
  public static final String PUBLIC_KEY_FILE = "jwt-es256-public.pem";

  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final String privateKeyPem;
  private final String publicKeyPem;

  private JwtKeys(String privateKeyPem, String publicKeyPem) {
    this.privateKeyPem = privateKeyPem;
    this.publicKeyPem = publicKeyPem;
  }

  /**
   * Both paths: read the configured pair. Only the public key: a verify-only node. Neither: the
   * pair in {@code <dataDir>/keys/}, generated there on first start.
   */
  public static JwtKeys loadOrCreate(Path dataDir, String privateKeyPemPath, String publicKeyPemPath) {
    boolean hasPrivate = privateKeyPemPath != null && !privateKeyPemPath.isBlank();
    boolean hasPublic = publicKeyPemPath != null && !publicKeyPemPath.isBlank();
    if (hasPrivate && !hasPublic) {
      throw new IllegalArgumentException("JWT private key " + privateKeyPemPath + " is configured without its public key");
    }
    if (hasPublic) {
      String publicPem = readPem(Path.of(publicKeyPemPath), PUBLIC_LABEL);
      String privatePem = hasPrivate ? readPem(Path.of(privateKeyPemPath), PRIVATE_LABEL) : null;
      if (privatePem != null) {
        requireMatchingPair(privatePem, publicPem, privateKeyPemPath);
      }
      return new JwtKeys(privatePem, publicPem);
    }
    return loadOrGenerate(dataDir.resolve("keys"));
  }

  /** Whether this node holds the private key; verify-only nodes (edge) do not. */
  public boolean canSign() {
    return privateKeyPem != null;
  }

  /** PKCS#8 PEM; {@link IllegalStateException} on a verify-only node. */
  public String privateKeyPem() {
    if (privateKeyPem == null) {
      throw new IllegalStateException("no JWT private key: this node only verifies tokens");
    }
    return privateKeyPem;
  }

  /** X.509 SubjectPublicKeyInfo PEM. */
  public String publicKeyPem() {
    return publicKeyPem;
  }

  private static JwtKeys loadOrGenerate(Path keysDir) {
    Path privatePath = keysDir.resolve(PRIVATE_KEY_FILE);
    Path publicPath = keysDir.resolve(PUBLIC_KEY_FILE);
    if (Files.exists(privatePath)) {
      // the public file is written first, so a private key without it was tampered with, not half-written
      if (!Files.exists(publicPath)) {
        throw new IllegalArgumentException("JWT private key " + privatePath + " exists but its public key " + publicPath + " is missing");
      }
      String privatePem = readPem(privatePath, PRIVATE_LABEL);
      String publicPem = readPem(publicPath, PUBLIC_LABEL);
      requireMatchingPair(privatePem, publicPem, privatePath.toString());
      return new JwtKeys(privatePem, publicPem);
    }
    KeyPair pair = generate();
    String privatePem = toPem(PRIVATE_LABEL, pair.getPrivate().getEncoded());
    String publicPem = toPem(PUBLIC_LABEL, pair.getPublic().getEncoded());
    try {
      createOwnerOnlyDirectories(keysDir);
      writeAtomically(publicPath, publicPem, false);
      writeAtomically(privatePath, privatePem, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JWT keys to " + keysDir + ": " + e.getMessage(), e);
    }
    // a self-check of the new pair that also loads the EC signature classes here, on a worker, not on an event loop
    requireMatchingPair(privatePem, publicPem, privatePath.toString());
    return new JwtKeys(privatePem, publicPem);
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
    }
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (posix(parent == null ? dir : parent)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Writes a temp file in the same directory (owner-only from its creation when secret, so the key is
   * never briefly world-readable), forces it to disk, then renames it into place.
   */
  static void writeAtomically(Path target, String content, boolean secret) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    FileAttribute<?>[] attributes = secret && posix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String readPem(Path file, String label) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read JWT key file " + file + ": " + e, e);
    }
    Matcher matcher = PEM.matcher(text);
    if (!matcher.find() || !label.equals(matcher.group(1))) {
      String hint = text.contains("BEGIN EC PRIVATE KEY") ? " (convert with: openssl pkcs8 -topk8 -nocrypt -in FILE)" : "";
      throw new IllegalArgumentException("JWT key file " + file + " is not a PEM \"BEGIN " + label + "\" block" + hint);
    }
    byte[] der;
    ECKey key;
    try {
      der = Base64.getMimeDecoder().decode(matcher.group(2));
      KeyFactory factory = KeyFactory.getInstance("EC");
      key = label.equals(PRIVATE_LABEL)
          ? (ECKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der))
          : (ECKey) factory.generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      String kind = label.toLowerCase(Locale.ROOT);
      throw new IllegalArgumentException("JWT key file " + file + " does not hold a valid EC " + kind + ": " + e, e);
    }
    if (key.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("JWT key file " + file + " is not a P-256 key (ES256 needs P-256)");
    }
    // re-encoded so the JWT library gets one canonical block whatever the file's line breaks or extra content
    return toPem(label, der);
  }

  /** Signs and verifies a probe so a mismatched configured pair fails at start, not at the first login. */
  private static void requireMatchingPair(String privatePem, String publicPem, String privateFile) {
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(derOf(privatePem)));
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(derOf(publicPem)));
      byte[] probe = "codex32-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("JWT private key " + privateFile + " does not match its public key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("JWT private key " + privateFile + " cannot be used with its public key: " + e, e);
    }
  }

  private static byte[] derOf(String pem) {
    Matcher matcher = PEM.matcher(pem);
    if (!matcher.find()) {
      throw new IllegalArgumentException("not a PEM block");
    }
    return Base64.getMimeDecoder().decode(matcher.group(2));
  }

  private static String toPem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
