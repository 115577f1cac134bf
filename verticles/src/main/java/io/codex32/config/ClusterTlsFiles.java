package io.codex32.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The PEM files of event-bus TLS, read and checked when the configuration loads. Files that could
 * never complete a handshake would let the member join the cluster and then fail every exchange
 * with a log line per attempt; instead the process stops at start naming the key. Checked as a
 * peer would: the certificate chains to a CA of {@code cluster.tls.ca}, is within its dates and
 * may serve both ends of a connection; and the key is the certificate's.
 */
final class ClusterTlsFiles {

  static final String CERT = "cluster.tls.cert";
  static final String KEY = "cluster.tls.key";
  static final String CA = "cluster.tls.ca";
  /** Far above any certificate chain or key: a larger file is not what the key names. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern CERTIFICATE_BLOCK = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";
  private static final int DIGITAL_SIGNATURE = 0;

  private ClusterTlsFiles() {
  }

  /** Nothing when all three are null (a plain event bus); a {@link ConfigException} naming the key at fault otherwise. */
  static void check(String cert, String key, String ca) {
    if (cert == null && key == null && ca == null) {
      return;
    }
    requireAll(cert, key, ca);
    List<X509Certificate> authorities = certificates(CA, read(CA, ca));
    byte[] certPem = read(CERT, cert);
    List<X509Certificate> chain = certificates(CERT, certPem);
    X509Certificate leaf = chain.get(0);
    checkKeyBelongsTo(leaf, read(KEY, key), certPem, key);
    checkDates(leaf);
    checkUsage(leaf);
    checkSignedBy(chain, authorities);
  }

  private static void requireAll(String cert, String key, String ca) {
    String missing = cert == null ? CERT : key == null ? KEY : ca == null ? CA : null;
    if (missing != null) {
      throw new ConfigException(missing, "event-bus TLS needs " + CERT + ", " + KEY + " and " + CA
          + " together (PEM files), or none of them for a plain event bus");
    }
  }

  private static byte[] read(String key, String value) {
    Path path = Path.of(value).toAbsolutePath();
    if (!Files.exists(path)) {
      throw new ConfigException(key, "file not found: " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, "not a regular file: " + path);
    }
    try {
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new ConfigException(key, path + " is larger than " + MAX_FILE_BYTES + " bytes: not a PEM file");
      }
      return Files.readAllBytes(path);
    } catch (AccessDeniedException e) {
      throw new ConfigException(key, "file not readable by this process: " + path);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + path + ": " + e);
    }
  }

  private static List<X509Certificate> certificates(String key, byte[] pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = CERTIFICATE_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (block.find()) {
        byte[] der = Base64.getMimeDecoder().decode(block.group(1));
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new ConfigException(key, "not a readable PEM certificate: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new ConfigException(key, "no PEM certificate in the file (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** Loads the key as the event bus will (Vert.x's PEM reader) and proves it signs for the certificate's public key. */
  private static void checkKeyBelongsTo(X509Certificate leaf, byte[] keyPem, byte[] certPem, String keyFile) {
    if (new String(keyPem, StandardCharsets.US_ASCII).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigException(KEY, "the key is encrypted; give it unencrypted (openssl pkey -in " + keyFile
          + " -out plain.key) and readable by this service only");
    }
    PrivateKey privateKey;
    try {
      // given the bytes rather than paths, the options read no file and need no Vert.x instance
      KeyManager[] managers = new PemKeyCertOptions().setKeyValue(Buffer.buffer(keyPem)).setCertValue(Buffer.buffer(certPem))
          .getKeyManagerFactory(null).getKeyManagers();
      X509KeyManager manager = (X509KeyManager) managers[0];
      String[] aliases = manager.getServerAliases(leaf.getPublicKey().getAlgorithm(), null);
      privateKey = aliases == null ? null : manager.getPrivateKey(aliases[0]);
    } catch (Exception e) {
      throw new ConfigException(KEY, "not a readable PEM private key: " + e.getMessage());
    }
    if (privateKey == null || !signsFor(privateKey, leaf)) {
      throw new ConfigException(KEY, "not the private key of the certificate in " + CERT);
    }
  }

  /** Vert.x reads RSA and EC keys only. */
  private static boolean signsFor(PrivateKey privateKey, X509Certificate leaf) {
    String algorithm = "EC".equals(privateKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] challenge = leaf.getSignature();
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkDates(X509Certificate leaf) {
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new ConfigException(CERT, "the certificate expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new ConfigException(CERT, "the certificate is not valid before " + leaf.getNotBefore().toInstant());
    }
  }

  /** Every member both connects and accepts: its certificate must be good for TLS clients and servers. */
  private static void checkUsage(X509Certificate leaf) {
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      throw new ConfigException(CERT, "the certificate's keyUsage lacks digitalSignature, which TLS needs");
    }
    List<String> extendedUsage;
    try {
      extendedUsage = leaf.getExtendedKeyUsage();
    } catch (CertificateException e) {
      throw new ConfigException(CERT, "unreadable extendedKeyUsage: " + e.getMessage());
    }
    if (extendedUsage != null && !extendedUsage.contains(ANY_USAGE)
        && !(extendedUsage.contains(SERVER_AUTH) && extendedUsage.contains(CLIENT_AUTH))) {
      throw new ConfigException(CERT, "the certificate's extendedKeyUsage must allow both serverAuth and clientAuth "
          + "(each member connects and accepts connections)");
    }
  }

  private static void checkSignedBy(List<X509Certificate> chain, List<X509Certificate> authorities) {
    Set<TrustAnchor> anchors = authorities.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
    List<X509Certificate> path = chain.stream().filter(cert -> !authorities.contains(cert)).toList();
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (CertPathValidatorException e) {
      throw new ConfigException(CERT, "the certificate is not signed by a CA in " + CA + " (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new ConfigException(CERT, "cannot check the certificate against " + CA + ": " + e.getMessage());
    }
  }
}
