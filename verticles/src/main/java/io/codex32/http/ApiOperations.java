package io.codex32.http;

import io.codex32.audit.AuditQuery;
import io.codex32.bot.Bot;
import io.codex32.chat.Asker;
import io.codex32.chat.Channel;
import io.codex32.bot.BotPatch;
import io.codex32.bot.BotQuery;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.devices.DeviceCommand;
import io.codex32.devices.DeviceCommands;
import io.codex32.error.Codex32Exception;
import io.codex32.nodes.NodeView;
import io.codex32.security.ApiKey;
import io.codex32.security.Permission;
import io.codex32.security.PermissionMatrix;
import io.codex32.security.Role;
import io.codex32.security.User;
import io.codex32.security.UserPatch;
import io.codex32.supervisor.HeartbeatReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The handler of every operationId in openapi.yaml: translate the call, ask the domain, shape the answer. */
final class ApiOperations {

  private static final int DEFAULT_LIMIT = 50;
  private static final int DEFAULT_LOG_LINES = 100;
  private static final int DEFAULT_METRIC_SAMPLES = 300;

  private final ApiServices s;

  ApiOperations(ApiServices services) {
    this.s = services;
  }

  Map<String, Function<ApiCall, Future<ApiResult>>> all() {
    Map<String, Function<ApiCall, Future<ApiResult>>> all = new HashMap<>(new GpioOperations(s.gpio(), s.self()).all());
    all.putAll(new MicrophoneOperations(s.microphones()).all());
    all.putAll(Map.ofEntries(
        Map.entry("login", this::login),
        Map.entry("refresh", this::refresh),
        Map.entry("logout", this::logout),
        Map.entry("whoAmI", this::whoAmI),
        Map.entry("listBots", this::listBots),
        Map.entry("createBot", this::createBot),
        Map.entry("getBot", this::getBot),
        Map.entry("updateBot", this::updateBot),
        Map.entry("deleteBot", this::deleteBot),
        Map.entry("startBot", call -> s.bots().start(call.path("id")).compose(this::accepted)),
        Map.entry("stopBot", call -> s.bots().stop(call.path("id")).compose(this::accepted)),
        Map.entry("restartBot", call -> s.bots().restart(call.path("id")).compose(this::accepted)),
        Map.entry("getBotLogs", call -> s.bots().logs(call.path("id"), call.queryInt("tail", DEFAULT_LOG_LINES),
            instant(call.query("since"))).map(lines -> ApiResult.ok(BotJson.logs(lines)))),
        Map.entry("getBotMetrics", call -> s.bots().metrics(call.path("id"), call.queryInt("limit", DEFAULT_METRIC_SAMPLES))
            .map(points -> ApiResult.ok(BotJson.metrics(points)))),
        Map.entry("getSelf", call -> s.self().self(call.principal().botId()).map(self -> ApiResult.ok(BotJson.self(self)))),
        Map.entry("selfHeartbeat", call -> {
          s.self().heartbeat(call.principal().botId(), HeartbeatReport.fromJson(call.body()));
          return Future.succeededFuture(ApiResult.accepted(new JsonObject().put("accepted", true)));
        }),
        Map.entry("listUsers", call -> s.users().list().map(users -> ApiResult.ok(items(users, User::toJson)))),
        Map.entry("createUser", this::createUser),
        Map.entry("getUser", call -> s.users().get(call.path("username")).map(u -> ApiResult.ok(u.toJson()))),
        Map.entry("updateUser", this::updateUser),
        Map.entry("deleteUser", call -> s.auth().deleteUser(call.path("username")).map(v -> ApiResult.noContent())),
        Map.entry("listApiKeys", call -> s.apiKeys().list().map(keys -> ApiResult.ok(items(keys, ApiKey::toJson)))),
        Map.entry("createApiKey", this::createApiKey),
        Map.entry("revokeApiKey", call -> s.apiKeys().revoke(call.path("keyId")).map(k -> ApiResult.noContent())),
        Map.entry("listAudit", this::listAudit),
        Map.entry("verifyAudit", call -> s.audit().verify().map(ApiResult::ok)),
        Map.entry("listDevices", call -> s.devices().list().map(list -> ApiResult.ok(items(list, s.devices()::view)))),
        Map.entry("createDevice", call -> s.devices().create(call.body())
            .map(created -> ApiResult.created(created.toJson(), "/api/v1/devices/" + created.device().id()))),
        Map.entry("getDevice", call -> s.devices().get(call.path("id")).map(d -> ApiResult.ok(s.devices().view(d)))),
        Map.entry("updateDevice", call -> s.devices().patch(call.path("id"), call.body()).map(d -> ApiResult.ok(s.devices().view(d)))),
        Map.entry("deleteDevice", call -> s.devices().delete(call.path("id"))
            .compose(v -> s.commands().deleteAll(call.path("id"))).map(v -> ApiResult.noContent())),
        Map.entry("rotateDeviceSecret", call -> s.devices().rotateSecret(call.path("id")).map(created -> ApiResult.ok(created.toJson()))),
        Map.entry("sendDeviceCommand", this::sendDeviceCommand),
        Map.entry("listDeviceCommands", call -> s.commands().forDevice(call.path("id"))
            .map(list -> ApiResult.ok(items(list, s.commands()::view)))),
        Map.entry("chat", this::chat),
        Map.entry("listNodes", call -> Future.succeededFuture(ApiResult.ok(items(s.nodes().list(), NodeView::toJson)))),
        Map.entry("getNode", call -> s.nodes().get(call.path("id")).map(node -> ApiResult.ok(node.toJson()))),
        Map.entry("getDeviceCommand", call -> s.commands().get(call.path("id"), call.path("commandId"))
            .map(c -> ApiResult.ok(s.commands().view(c))))));
    return all;
  }

  private Future<ApiResult> login(ApiCall call) {
    JsonObject body = call.body();
    return s.auth().login(body.getString("username"), body.getString("password"), call.sourceIp())
        .map(tokens -> ApiResult.ok(tokens.toJson()));
  }

  private Future<ApiResult> refresh(ApiCall call) {
    return s.auth().refresh(call.body().getString("refresh_token")).map(tokens -> ApiResult.ok(tokens.toJson()));
  }

  private Future<ApiResult> logout(ApiCall call) {
    return s.auth().logout(call.body().getString("refresh_token")).map(v -> ApiResult.noContent());
  }

  private Future<ApiResult> whoAmI(ApiCall call) {
    JsonArray permissions = new JsonArray();
    PermissionMatrix.grantsOf(call.principal().role()).stream().map(Permission::wireName).sorted().forEach(permissions::add);
    return Future.succeededFuture(ApiResult.ok(new JsonObject()
        .put("subject", call.principal().subject())
        .put("role", call.principal().role().wireName())
        .put("kind", call.principal().kind().name().toLowerCase(Locale.ROOT))
        .put("permissions", permissions)));
  }

  private Future<ApiResult> listBots(ApiCall call) {
    String status = call.query("status");
    BotQuery query = new BotQuery(status == null ? null : BotStatus.parse(status), call.query("role"), call.query("node"),
        call.queryInt("offset", 0), call.queryInt("limit", DEFAULT_LIMIT));
    return s.bots().list(query).map(page -> ApiResult.ok(BotJson.page(page)));
  }

  private Future<ApiResult> createBot(ApiCall call) {
    return s.bots().create(BotSpec.fromJson(call.body())).compose(bot -> s.bots().view(bot)
        .map(view -> ApiResult.created(BotJson.view(view), "/api/v1/bots/" + bot.id()).withHeader("ETag", etag(bot))));
  }

  private Future<ApiResult> getBot(ApiCall call) {
    return s.bots().get(call.path("id")).compose(this::okWithEtag);
  }

  private Future<ApiResult> updateBot(ApiCall call) {
    long expected = parseEtag(call.header("If-Match"));
    return s.bots().patch(call.path("id"), BotPatch.fromJson(call.body()), expected).compose(this::okWithEtag);
  }

  private Future<ApiResult> okWithEtag(Bot bot) {
    return s.bots().view(bot).map(view -> ApiResult.ok(BotJson.view(view)).withHeader("ETag", etag(bot)));
  }

  private Future<ApiResult> deleteBot(ApiCall call) {
    return s.bots().delete(call.path("id"), call.queryFlag("force")).map(v -> ApiResult.noContent());
  }

  private Future<ApiResult> createUser(ApiCall call) {
    JsonObject body = call.body();
    return s.users().create(body.getString("username"), body.getString("password"), Role.parse(body.getString("role")))
        .map(user -> ApiResult.created(user.toJson(), "/api/v1/users/" + user.username()));
  }

  private Future<ApiResult> updateUser(ApiCall call) {
    JsonObject body = call.body();
    String role = body.getString("role");
    UserPatch patch = new UserPatch(body.getString("password"), role == null ? null : Role.parse(role), body.getBoolean("disabled"));
    return s.auth().updateUser(call.path("username"), patch).map(user -> ApiResult.ok(user.toJson()));
  }

  private Future<ApiResult> createApiKey(ApiCall call) {
    JsonObject body = call.body();
    return s.apiKeys().create(body.getString("name"), Role.parse(body.getString("role")), call.principal().subject())
        .map(created -> ApiResult.created(created.toJson(), "/api/v1/api-keys/" + created.key().id()));
  }

  /** 201 with the command {@code queued}; delivery follows, its status is readable at the Location. */
  private Future<ApiResult> sendDeviceCommand(ApiCall call) {
    JsonObject body = call.body();
    String deviceId = call.path("id");
    return s.commands().send(deviceId, body.getString("name"), body.getValue("payload"),
            body.getInteger("ttl_s", DeviceCommands.DEFAULT_TTL_S))
        .map(command -> ApiResult.created(s.commands().view(command), commandLocation(command)));
  }

  private static String commandLocation(DeviceCommand command) {
    return "/api/v1/devices/" + command.deviceId() + "/commands/" + command.id();
  }

  private Future<ApiResult> chat(ApiCall call) {
    Asker asker = new Asker(call.principal(), Channel.CHAT, call.sourceIp());
    return s.chat().handle(s.conversations().of(call.principal().subject()), asker, call.body().getString("text"))
        .map(reply -> ApiResult.ok(reply.toJson()));
  }

  private Future<ApiResult> listAudit(ApiCall call) {
    AuditQuery query = new AuditQuery(call.query("actor"), call.query("action"), call.query("target"), call.query("result"),
        instant(call.query("since")), instant(call.query("until")), call.queryInt("offset", 0), call.queryInt("limit", DEFAULT_LIMIT));
    return s.audit().list(query).map(ApiResult::ok);
  }

  private Future<ApiResult> accepted(Bot bot) {
    return s.bots().view(bot).map(view -> ApiResult.accepted(BotJson.view(view)));
  }

  private static <T> JsonObject items(List<T> list, Function<T, JsonObject> toJson) {
    JsonArray items = new JsonArray();
    list.forEach(item -> items.add(toJson.apply(item)));
    return new JsonObject().put("items", items);
  }

  private static String etag(Bot bot) {
    return "\"" + bot.revision() + "\"";
  }

  /** {@code "7"} (or {@code W/"7"}) → 7; absent → -1 (no check). */
  private static long parseEtag(String value) {
    if (value == null) {
      return -1;
    }
    String digits = value.replace("W/", "").replace("\"", "").trim();
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw Codex32Exception.badRequest("invalid_if_match", "If-Match must be an ETag returned by this API, like \"3\"");
    }
  }

  private static Instant instant(String value) {
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw Codex32Exception.badRequest("invalid_time", "'" + value + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
