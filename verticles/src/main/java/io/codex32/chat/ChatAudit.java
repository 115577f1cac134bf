package io.codex32.chat;

import io.codex32.audit.AuditEntry;
import io.codex32.audit.AuditLog;
import io.codex32.error.Codex32Exception;
import io.codex32.security.Principal;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what chat and voice did in the audit trail exactly as the API would (same action names,
 * same results), with the channel it was asked through. Never fails the conversation: a record
 * that cannot be written is logged.
 */
final class ChatAudit {

  private static final Logger LOG = LoggerFactory.getLogger(ChatAudit.class);

  private final AuditLog audit;

  ChatAudit(AuditLog audit) {
    this.audit = audit;
  }

  Future<Void> success(Turn turn, String action, String target, String details) {
    return record(turn, action, target, "success", details);
  }

  Future<Void> denied(Turn turn, String action, String target) {
    return record(turn, action, target, "denied:forbidden", null);
  }

  Future<Void> failed(Turn turn, String action, String target, Throwable failure) {
    String code = failure instanceof Codex32Exception e ? e.code() : "internal_error";
    String kind = failure instanceof Codex32Exception e && (e.status() == 401 || e.status() == 403 || e.status() == 429) ? "denied:"
        : "failed:";
    return record(turn, action, target, kind + code, null);
  }

  private Future<Void> record(Turn turn, String action, String target, String result, String details) {
    Asker asker = turn.asker();
    AuditEntry entry = new AuditEntry(actor(asker.principal()), action, target, result, asker.sourceIp(), null, details,
        asker.channel().wireName());
    return audit.record(entry).<Void>mapEmpty().recover(failure -> {
      LOG.error("could not write the audit record of {} {} by {}", action, target, entry.actor(), failure);
      return Future.succeededFuture();
    });
  }

  private static String actor(Principal principal) {
    return principal.kind() == Principal.Kind.API_KEY ? principal.subject() + " (api key " + principal.credentialId() + ")"
        : principal.subject();
  }
}
