package io.codex32.http;

import io.codex32.error.Codex32Exception;
import io.codex32.security.AuthService;
import io.codex32.security.Permission;
import io.codex32.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

/**
 * The one place where authorization is enforced. Each operation in openapi.yaml declares
 * {@code x-permission} (or {@code x-public: true}); this handler authenticates the bearer token or
 * API key and checks the caller's role against {@link io.codex32.security.PermissionMatrix} before
 * the request is validated or handled.
 */
final class RequestAuthenticator implements Handler<RoutingContext> {

  static final String PRINCIPAL = "codex32.principal";
  static final String OPERATION = "codex32.operation";
  private static final String AUTHENTICATED = "authenticated";
  /** Operations only a bot may call, about itself, with its CODEX32_BOT_TOKEN. */
  static final String SELF = "self";

  private final OpenAPIContract contract;
  private final AuthService auth;

  RequestAuthenticator(OpenAPIContract contract, AuthService auth) {
    this.contract = contract;
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext rc) {
    Operation operation = contract.findOperation(rc.normalizedPath(), rc.request().method());
    if (operation == null) {
      rc.next();
      return;
    }
    rc.put(OPERATION, operation.getOperationId());
    if (Boolean.TRUE.equals(operation.getExtensions().get("x-public"))) {
      rc.next();
      return;
    }
    boolean self = SELF.equals(operation.getExtensions().get("x-permission"));
    authenticate(rc, self)
        .map(principal -> {
          rc.put(PRINCIPAL, principal);
          return authorize(principal, operation);
        })
        .onSuccess(principal -> rc.next())
        .onFailure(rc::fail);
  }

  /** A bot token is only ever verified for a self operation; elsewhere it is not a user token and gets 401. */
  private Future<Principal> authenticate(RoutingContext rc, boolean self) {
    String authorization = rc.request().getHeader("Authorization");
    String apiKey = rc.request().getHeader("X-API-Key");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
        return Future.failedFuture(Codex32Exception.unauthorized("invalid_token", "Authorization must be 'Bearer <token>'"));
      }
      String token = authorization.substring(7).trim();
      return self ? auth.authenticateBotOrUser(token) : auth.authenticateBearer(token);
    }
    if (apiKey != null) {
      return auth.authenticateApiKey(apiKey.trim());
    }
    return Future.failedFuture(Codex32Exception.unauthorized("unauthenticated",
        "log in first: send 'Authorization: Bearer <token>' or 'X-API-Key: <key>'"));
  }

  private static Principal authorize(Principal principal, Operation operation) {
    Object required = operation.getExtensions().get("x-permission");
    if (required == null) {
      throw new IllegalStateException("operation " + operation.getOperationId() + " declares no x-permission");
    }
    if (SELF.equals(required) || principal.kind() == Principal.Kind.BOT) {
      if (SELF.equals(required) && principal.kind() == Principal.Kind.BOT) {
        return principal;
      }
      throw Codex32Exception.forbidden(principal.kind() == Principal.Kind.BOT
          ? "a bot token may only call the /api/v1/self operations"
          : operation.getOperationId() + " is for bots: call it with the bot's CODEX32_BOT_TOKEN");
    }
    if (AUTHENTICATED.equals(required) || principal.can(Permission.parse(required.toString()))) {
      return principal;
    }
    throw Codex32Exception.forbidden("role '" + principal.role().wireName() + "' may not " + operation.getOperationId()
        + " (needs " + required + ")");
  }
}
