package io.codex32.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.security.JwtKeys;
import io.codex32.security.TokenService;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.codex32.test.TestGateway.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route × every caller. The table below IS the permission matrix as users see it
 * (docs/security.md shows the same): "ok" means a 2xx answer, 401/403 the refusal. "bot" is a bot's own
 * CODEX32_BOT_TOKEN: it opens the self operations and nothing else (a bot token is no user token: 401).
 */
@Timeout(180)
class AuthorizationMatrixTest {

  private static final List<String> CALLERS = List.of("anonymous", "viewer", "user", "operator", "admin", "key:viewer", "key:operator",
      "bot");

  private static final String TABLE = """
      # operationId  method path                             anonymous viewer user operator admin key:viewer key:operator bot
      whoAmI         GET    /api/v1/auth/me                  401       ok     ok   ok       ok    ok         ok          401
      listBots       GET    /api/v1/bots                     401       ok     ok   ok       ok    ok         ok          401
      getBot         GET    /api/v1/bots/{bot}               401       ok     ok   ok       ok    ok         ok          401
      createBot      POST   /api/v1/bots                     401       403    403  ok       ok    403        ok          401
      updateBot      PATCH  /api/v1/bots/{bot}               401       403    403  ok       ok    403        ok          401
      deleteBot      DELETE /api/v1/bots/{bot}               401       403    403  ok       ok    403        ok          401
      startBot       POST   /api/v1/bots/{bot}/start         401       403    ok   ok       ok    403        ok          401
      stopBot        POST   /api/v1/bots/{bot}/stop          401       403    ok   ok       ok    403        ok          401
      restartBot     POST   /api/v1/bots/{bot}/restart       401       403    ok   ok       ok    403        ok          401
      getBotLogs     GET    /api/v1/bots/{localbot}/logs     401       ok     ok   ok       ok    ok         ok          401
      getBotMetrics  GET    /api/v1/bots/{localbot}/metrics  401       ok     ok   ok       ok    ok         ok          401
      listUsers      GET    /api/v1/users                    401       403    403  403      ok    403        403          401
      createUser     POST   /api/v1/users                    401       403    403  403      ok    403        403          401
      getUser        GET    /api/v1/users/{user}             401       403    403  403      ok    403        403          401
      updateUser     PATCH  /api/v1/users/{user}             401       403    403  403      ok    403        403          401
      deleteUser     DELETE /api/v1/users/{user}             401       403    403  403      ok    403        403          401
      listApiKeys    GET    /api/v1/api-keys                 401       403    403  403      ok    403        403          401
      createApiKey   POST   /api/v1/api-keys                 401       403    403  403      ok    403        403          401
      revokeApiKey   DELETE /api/v1/api-keys/{key}           401       403    403  403      ok    403        403          401
      listAudit      GET    /api/v1/audit                    401       403    403  403      ok    403        403          401
      verifyAudit    GET    /api/v1/audit/verify             401       403    403  403      ok    403        403          401
      chat           POST   /api/v1/chat                     401       ok     ok   ok       ok    ok         ok          401
      listNodes      GET    /api/v1/nodes                    401       ok     ok   ok       ok    ok         ok          401
      getNode        GET    /api/v1/nodes/local              401       ok     ok   ok       ok    ok         ok          401
      listNodeGpio   GET    /api/v1/nodes/local/gpio         401       ok     ok   ok       ok    ok         ok          401
      getNodeGpio    GET    /api/v1/nodes/local/gpio/relay   401       ok     ok   ok       ok    ok         ok          401
      setNodeGpio    POST   /api/v1/nodes/local/gpio/relay   401       403    403  ok       ok    403        ok          401
      getNodeMicrophone GET /api/v1/nodes/local/microphone   401       ok     ok   ok       ok    ok         ok          401
      setNodeMicrophone POST /api/v1/nodes/local/microphone  401       403    ok   ok       ok    403        ok          401
      listDevices    GET    /api/v1/devices                  401       ok     ok   ok       ok    ok         ok          401
      createDevice   POST   /api/v1/devices                  401       403    403  ok       ok    403        ok          401
      getDevice      GET    /api/v1/devices/{device}         401       ok     ok   ok       ok    ok         ok          401
      updateDevice   PATCH  /api/v1/devices/{device}         401       403    403  ok       ok    403        ok          401
      deleteDevice   DELETE /api/v1/devices/{device}         401       403    403  ok       ok    403        ok          401
      rotateDeviceSecret POST /api/v1/devices/{device}/secret 401     403    403  ok       ok    403        ok          401
      sendDeviceCommand POST /api/v1/devices/{device}/commands 401    403    403  ok       ok    403        ok          401
      listDeviceCommands GET /api/v1/devices/{device}/commands 401    ok     ok   ok       ok    ok         ok          401
      getDeviceCommand GET  /api/v1/devices/{devcmd}         401       ok     ok   ok       ok    ok         ok          401
      getSelf        GET    /api/v1/self                     401       403    403  403      403   403        403          ok
      selfHeartbeat  POST   /api/v1/self/heartbeat           401       403    403  403      403   403        403          ok
      getSelfGpio    GET    /api/v1/self/gpio/relay          401       403    403  403      403   403        403          ok
      setSelfGpio    POST   /api/v1/self/gpio/relay          401       403    403  403      403   403        403          ok
      """;

  /**
   * Bots of this test live on a node without an executor, so commands only change the desired state;
   * reading logs needs the executor of the gateway's own node.
   */
  private static final JsonObject ELSEWHERE = new JsonObject().put("node", "matrix-node");

  /** Operations anyone may call (they carry their own credential in the body). */
  private static final Set<String> PUBLIC_OPERATIONS = Set.of("login", "refresh", "logout");

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static TestGateway gateway;
  private static Path dataDir;
  private static final Map<String, Map<String, String>> CREDENTIALS = new HashMap<>();

  record Row(String operationId, String method, String path, Map<String, String> expected) {
  }

  @BeforeAll
  static void startGateway() throws Exception {
    dataDir = Files.createTempDirectory("codex32-authz");
    // the gateway's own node runs its GPIO on Pi4J's mock platform, with one output
    // and a microphone (never started here)
    gateway = TestGateway.start(dataDir, Map.of("CODEX32_GPIO_ENABLED", "true", "CODEX32_GPIO_PROVIDER", "mock",
        "CODEX32_GPIO_PINS", "[{\"name\": \"relay\", \"bcm\": 17, \"mode\": \"output\"}]",
        "CODEX32_VOICE_MICROPHONE_ENABLED", "true", "CODEX32_VOICE_MICROPHONE_USER", "admin"));
    CREDENTIALS.put("anonymous", Map.of());
    for (String role : List.of("viewer", "user", "operator")) {
      CREDENTIALS.put(role, bearer(gateway.tokenFor(role + "1", role)));
    }
    CREDENTIALS.put("admin", bearer(gateway.adminToken()));
    // the bot of the self operations is on the gateway's own node, granted its relay
    String selfBot = freshBot(new JsonObject().put("node", "local"), new JsonArray().add("relay"));
    TokenService botTokens = new TokenService(gateway.vertx(), JwtKeys.loadOrCreate(dataDir, null, null), null, null,
        Clock.systemUTC(), 60, 60);
    CREDENTIALS.put("bot", bearer(botTokens.issueBotToken(selfBot, 600).await(10, TimeUnit.SECONDS)));
    for (String role : List.of("viewer", "operator")) {
      Response key = gateway.send("POST", "/api/v1/api-keys", new JsonObject().put("name", role + " key").put("role", role),
          gateway.adminToken());
      assertThat(key.status()).as(key.toString()).isEqualTo(201);
      CREDENTIALS.put("key:" + role, Map.of("X-API-Key", key.json().getString("key")));
    }
    awaitLocalNode();
  }

  /** The gateway's own node answers GET /api/v1/nodes/local once its first heartbeat arrived. */
  private static void awaitLocalNode() {
    Await.until(() -> gateway.get("/api/v1/nodes/local", gateway.adminToken()).status() == 200, "the local node reporting");
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Row row : rows()) {
      for (String caller : CALLERS) {
        cases.add(Arguments.of(row.operationId() + " as " + caller, row, caller));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyRouteAnswersEveryCallerAsTheMatrixSays(String name, Row row, String caller) {
    String path = row.path();
    if (path.contains("{bot}")) {
      path = path.replace("{bot}", freshBot(ELSEWHERE));
    } else if (path.contains("{localbot}")) {
      path = path.replace("{localbot}", freshBot(new JsonObject().put("node", "local")));
    } else if (path.contains("{user}")) {
      path = path.replace("{user}", freshUser());
    } else if (path.contains("{key}")) {
      path = path.replace("{key}", freshApiKey());
    } else if (path.contains("{device}")) {
      path = path.replace("{device}", freshDevice());
    } else if (path.contains("{devcmd}")) {
      path = path.replace("{devcmd}", freshDeviceCommand());
    }
    Response response = gateway.send(row.method(), path, body(row.operationId()), CREDENTIALS.get(caller));

    String expected = row.expected().get(caller);
    if (expected.equals("ok")) {
      assertThat(response.status()).as(response.toString()).isBetween(200, 299);
    } else {
      assertThat(response.status()).as(response.toString()).isEqualTo(Integer.parseInt(expected));
      assertThat(response.json().getJsonObject("error").getString("code")).isNotBlank();
    }
  }

  @Test
  void theTableCoversEveryOperationOfTheOpenApiDocument() throws Exception {
    String yaml = new String(getClass().getClassLoader().getResourceAsStream("openapi.yaml").readAllBytes());
    Set<String> documented = new HashSet<>();
    yaml.lines().map(String::trim).filter(l -> l.startsWith("operationId:"))
        .forEach(l -> documented.add(l.substring("operationId:".length()).trim()));
    Set<String> tabled = new HashSet<>(PUBLIC_OPERATIONS);
    rows().forEach(row -> tabled.add(row.operationId()));
    assertThat(tabled).containsExactlyInAnyOrderElementsOf(documented);
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String line : TABLE.strip().split("\n")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      String[] cells = line.strip().split("\\s+");
      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < CALLERS.size(); i++) {
        expected.put(CALLERS.get(i), cells[3 + i]);
      }
      rows.add(new Row(cells[0], cells[1], cells[2], expected));
    }
    return rows;
  }

  private static String body(String operationId) {
    int n = SEQUENCE.incrementAndGet();
    return switch (operationId) {
      case "createBot" -> new JsonObject().put("id", "matrix-new-" + n).put("command", List.of("python3", "bot.py"))
          .put("placement", ELSEWHERE).encode();
      case "updateBot" -> new JsonObject().put("description", "changed " + n).encode();
      case "createUser" -> new JsonObject().put("username", "new-user-" + n).put("password", "password-" + n).put("role", "viewer")
          .encode();
      case "updateUser" -> new JsonObject().put("role", "user").encode();
      case "createApiKey" -> new JsonObject().put("name", "key " + n).put("role", "viewer").encode();
      case "createDevice" -> new JsonObject().put("id", "matrix-device-new-" + n).encode();
      case "updateDevice" -> new JsonObject().put("labels", new JsonObject().put("room", "r" + n)).encode();
      case "selfHeartbeat" -> new JsonObject().put("status", "beat " + n).put("metrics", new JsonObject().put("n", n)).encode();
      case "sendDeviceCommand" -> new JsonObject().put("name", "ping").put("payload", n).encode();
      case "setNodeGpio", "setSelfGpio" -> new JsonObject().put("action", "toggle").encode();
      // stop: the microphone is idle, so it answers its status and changes nothing
      case "setNodeMicrophone" -> new JsonObject().put("action", "stop").encode();
      case "chat" -> new JsonObject().put("text", "list bots").encode();
      default -> null;
    };
  }

  private static String freshBot(JsonObject placement) {
    return freshBot(placement, new JsonArray());
  }

  private static String freshBot(JsonObject placement, JsonArray gpio) {
    String id = "matrix-bot-" + SEQUENCE.incrementAndGet();
    JsonObject spec = new JsonObject().put("id", id).put("command", List.of("python3", "bot.py")).put("placement", placement);
    Response created = gateway.send("POST", "/api/v1/bots", gpio.isEmpty() ? spec : spec.put("gpio", gpio), adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private static String freshUser() {
    String username = "matrix-user-" + SEQUENCE.incrementAndGet();
    Response created = gateway.send("POST", "/api/v1/users",
        new JsonObject().put("username", username).put("password", "password-123").put("role", "viewer"), adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return username;
  }

  private static String freshApiKey() {
    Response created = gateway.send("POST", "/api/v1/api-keys", new JsonObject().put("name", "victim").put("role", "viewer"),
        adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().getString("id");
  }

  private static String freshDevice() {
    String id = "matrix-device-" + SEQUENCE.incrementAndGet();
    Response created = gateway.send("POST", "/api/v1/devices", new JsonObject().put("id", id), adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  /** {@code <device>/commands/<commandId>} of a fresh command. */
  private static String freshDeviceCommand() {
    String device = freshDevice();
    Response sent = gateway.send("POST", "/api/v1/devices/" + device + "/commands", new JsonObject().put("name", "ping"), adminToken());
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    return device + "/commands/" + sent.json().getString("id");
  }

  private static String adminToken() {
    return CREDENTIALS.get("admin").get("Authorization").substring("Bearer ".length());
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }
}
