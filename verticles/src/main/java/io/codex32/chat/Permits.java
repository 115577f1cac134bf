package io.codex32.chat;

import io.codex32.security.Permission;
import io.codex32.security.Principal;
import io.vertx.core.Future;

/**
 * The same permission check as the API's {@code x-permission}, said as a sentence: a viewer hears
 * which permission its role lacks. A refused action is audited like a 403.
 */
final class Permits {

  private final ChatAudit audit;

  Permits(ChatAudit audit) {
    this.audit = audit;
  }

  /** Succeeds when the asker may read with {@code permission}; reading is not audited, as in the API. */
  Future<Void> read(Turn turn, Permission permission, String doing) {
    return turn.asker().principal().can(permission) ? Future.succeededFuture() : Future.failedFuture(refusal(turn, permission, doing));
  }

  /** Succeeds when the asker may do {@code action} (an API operation id) on {@code target}; otherwise audited as denied. */
  Future<Void> act(Turn turn, Permission permission, String doing, String action, String target) {
    if (turn.asker().principal().can(permission)) {
      return Future.succeededFuture();
    }
    return audit.denied(turn, action, target).compose(v -> Future.failedFuture(refusal(turn, permission, doing)));
  }

  private static Answer refusal(Turn turn, Permission permission, String doing) {
    Principal principal = turn.asker().principal();
    return Answers.say(turn, "Sorry, you may not " + doing + ": your role '" + principal.role().wireName()
        + "' does not have the " + permission.wireName() + " permission.");
  }
}
