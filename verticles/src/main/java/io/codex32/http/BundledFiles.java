package io.codex32.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Static files from a folder on the classpath (the jar), held in memory once read. Vert.x's
 * StaticHandler first copies a jar entry into its file cache, scanning the whole fat jar on the
 * event loop (seconds on a loaded machine); here the first read of a file runs on a worker thread
 * and every later request is answered from memory. The files keep their names across releases, so
 * browsers revalidate each time ({@code no-cache}) and get a 304 while the ETag matches. Only
 * known file types are served.
 */
final class BundledFiles implements Handler<RoutingContext> {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json",
      "map", "application/json",
      "txt", "text/plain; charset=utf-8",
      "woff2", "font/woff2");
  /** Path segments of letters, digits, dot, dash, underscore, not starting with a dot: no traversal, no hidden files. */
  private static final Pattern SAFE_PATH = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private final String root;
  private final String mount;
  /** Only files that exist are kept: a bounded set, whatever paths clients ask for. */
  private final Map<String, File> files = new ConcurrentHashMap<>();

  /** Serves the classpath folder {@code root} (e.g. {@code webroot}) under the URL prefix {@code mount} (e.g. {@code /}). */
  BundledFiles(String root, String mount) {
    this.root = root.endsWith("/") ? root : root + "/";
    this.mount = mount.endsWith("/") ? mount : mount + "/";
  }

  private record File(Buffer content, String type, String etag) {
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    String path = rc.normalizedPath();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD || !path.startsWith(mount)) {
      rc.next();
      return;
    }
    String relative = path.substring(mount.length());
    String name = relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (type == null || !SAFE_PATH.matcher(name).matches()) {
      rc.next();
      return;
    }
    File cached = files.get(name);
    Future<Optional<File>> file = cached != null ? Future.succeededFuture(Optional.of(cached))
        : rc.vertx().executeBlocking(() -> read(name, type), false);
    file.onSuccess(found -> found.ifPresentOrElse(f -> send(rc, f), rc::next)).onFailure(rc::fail);
  }

  private Optional<File> read(String name, String type) {
    try (InputStream in = BundledFiles.class.getClassLoader().getResourceAsStream(root + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
      File file = new File(Buffer.buffer(bytes), type, "\"" + hash + "\"");
      files.put(name, file);
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + name, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(RoutingContext rc, File file) {
    HttpServerResponse response = rc.response()
        .putHeader("Content-Type", file.type())
        .putHeader("ETag", file.etag())
        .putHeader("Cache-Control", "no-cache");
    if (file.etag().equals(rc.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
    } else if (rc.request().method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", String.valueOf(file.content().length())).end();
    } else {
      response.end(file.content());
    }
  }
}
