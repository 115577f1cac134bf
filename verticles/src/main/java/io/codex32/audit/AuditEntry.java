package io.codex32.audit;

/**
 * What happened, before it is sealed into the chain. {@code result} is e.g. {@code success},
 * {@code denied}, {@code failed:404}. {@code details}: what changed, when the action says more than
 * its target (a GPIO write: {@code node=local pin=relay old=low new=high}); null for most actions.
 */
public record AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId,
    String details) {

  public AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId) {
    this(actor, action, target, result, sourceIp, requestId, null);
  }
}
