package io.codex32.test;

import io.codex32.config.ConfigLoader;
import io.codex32.config.GatewayConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.codex32.security.JwtKeys;
import io.codex32.security.TokenService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A real gateway (same wiring as the jar) on a random port with its own data directory, and a
 * plain JDK HTTP client to talk to it.
 */
public final class TestGateway implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "admin-secret-pass";
  private static final AtomicBoolean COLD_JVM = new AtomicBoolean(true);

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Path dataDir;

  private TestGateway(Vertx vertx, GatewayRuntime runtime, Path dataDir) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.dataDir = dataDir;
  }

  public static TestGateway start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** Starts with test defaults (port 0, fast bcrypt, known admin password) plus {@code env} overrides. */
  public static TestGateway start(Path dataDir, Map<String, String> env) {
    BotReaper.remember(dataDir);
    Map<String, String> merged = new HashMap<>(Map.of(
        "CODEX32_HTTP_PORT", "0",
        "CODEX32_HTTP_HOST", "127.0.0.1",
        "CODEX32_HTTP_INSTANCES", "2",
        "CODEX32_MQTT_PORT", "0",
        "CODEX32_MQTT_HOST", "127.0.0.1",
        "CODEX32_MQTT_INSTANCES", "2",
        "CODEX32_DATA_DIR", dataDir.toString(),
        "CODEX32_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "CODEX32_AUTH_BCRYPT_COST", "4"));
    merged.putAll(env);
    GatewayConfig config = GatewayConfig.from(ConfigLoader.load(GatewayConfig.DEFAULTS, List.of(), merged));
    JvmWarmUp.once();
    Vertx vertx = VertxFactory.create(TestVertx.options());
    TestGateway gateway;
    try {
      gateway = new TestGateway(vertx, GatewayRuntime.start(vertx, config).await(30, TimeUnit.SECONDS), dataDir);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("gateway did not start", e);
    }
    if (COLD_JVM.getAndSet(false)) {
      gateway.warmUp();
    }
    return gateway;
  }

  /**
   * The first gateway of a test JVM loads and compiles thousands of classes on its event loops
   * (Netty, JSON schema, JWT), which the blocked-thread checker cannot tell from a blocking call.
   * Run the request path once and forget what the checker said meanwhile; everything after this is
   * held to the threshold.
   */
  private void warmUp() {
    get("/api/v1/bots", login("admin", ADMIN_PASSWORD).getString("access_token"));
    send("POST", "/api/v1/bots", "{\"id\": \"Not Valid\"}", Map.of());
    BlockedThreadRecorder.drain();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The port the MQTT listener bound. */
  public int mqttPort() {
    return runtime.mqttPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + runtime.httpPort() + path;
  }

  public Response send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response send(String method, String path, JsonObject body, String token) {
    return send(method, path, body == null ? null : body.encode(), token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  public Response get(String path, String token) {
    return send("GET", path, (JsonObject) null, token);
  }

  public Response attemptLogin(String username, String password) {
    return send("POST", "/api/v1/auth/login", new JsonObject().put("username", username).put("password", password), null);
  }

  public Response refresh(String refreshToken) {
    return send("POST", "/api/v1/auth/refresh", new JsonObject().put("refresh_token", refreshToken), null);
  }

  public Response post(String path, String token) {
    return send("POST", path, (JsonObject) null, token);
  }

  public Response delete(String path, String token) {
    return send("DELETE", path, (JsonObject) null, token);
  }

  public Response createUser(String username, String password, String role, String token) {
    return send("POST", "/api/v1/users", new JsonObject().put("username", username).put("password", password).put("role", role), token);
  }

  /** A gateway whose own executor may run {@code python3} and {@code sh} bots, sampling every 200 ms. */
  public static TestGateway withExecutor(Path dataDir) {
    return withExecutor(dataDir, Map.of());
  }

  /** {@link #withExecutor(Path)} with more settings ({@code env} wins). */
  public static TestGateway withExecutor(Path dataDir, Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(Map.of("CODEX32_EXECUTOR_ALLOWED_COMMANDS", "python3,sh",
        "CODEX32_EXECUTOR_SAMPLE_INTERVAL_MS", "200"));
    merged.putAll(env);
    return start(dataDir, merged);
  }

  /** A gateway on {@code store=postgres} with the database at {@code pgUrl} (see {@link TestPostgres}). */
  public static TestGateway withPostgres(Path dataDir, String pgUrl) {
    return start(dataDir, Map.of("CODEX32_STORE", "postgres", "CODEX32_PG_URL", pgUrl,
        "CODEX32_PG_CONNECT_TIMEOUT_MS", "2000", "CODEX32_PG_QUERY_TIMEOUT_MS", "3000"));
  }

  /** Absolute path of a test bot script in src/test/resources/executor/bots. */
  public static String botScript(String name) {
    try {
      return Path.of(TestGateway.class.getResource("/executor/bots/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the bot until {@code condition} holds; fails naming {@code what} and the last read. */
  public JsonObject awaitBot(String id, String token, Predicate<JsonObject> condition, String what) {
    return Await.until(() -> get("/api/v1/bots/" + id, token).json(), condition, "bot " + id + " " + what);
  }

  /** Logs in and returns the response body (access and refresh token). */
  public JsonObject login(String username, String password) {
    Response response = attemptLogin(username, password);
    if (response.status() != 200) {
      throw new IllegalStateException("login of " + username + " failed: " + response);
    }
    return response.json();
  }

  public String adminToken() {
    return login("admin", ADMIN_PASSWORD).getString("access_token");
  }

  /** Creates a user (as admin) and returns an access token for it. */
  public String tokenFor(String username, String role) {
    String password = username + "-password";
    Response created = createUser(username, password, role, adminToken());
    if (created.status() != 201 && created.status() != 409) {
      throw new IllegalStateException("could not create " + username + ": " + created);
    }
    return login(username, password).getString("access_token");
  }

  @Override
  public void close() {
    try {
      runtime.close().transform(v -> vertx.close()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop cleanly", e);
    }
  }

  /** A token exactly as the executor hands it to a bot (same key, same claims). */
  public String botToken(String botId) {
    TokenService tokens = new TokenService(vertx, JwtKeys.loadOrCreate(dataDir, null, null), null, null, Clock.systemUTC(), 60, 60);
    try {
      return tokens.issueBotToken(botId, 600).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@link #close()}, then the bots it leaves running (as a stopped gateway does) are killed too. */
  public void closeWithBots() {
    close();
    BotReaper.endBotsUnder(dataDir);
  }

  /** An HTTP response as the client saw it. */
  public record Response(int status, String body, Map<String, List<String>> headers) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
          .findFirst().orElse(null);
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }
}
