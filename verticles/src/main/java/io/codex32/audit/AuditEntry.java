package io.codex32.audit;

/**
 * What happened, before it is sealed into the chain. {@code result} is e.g. {@code success},
 * {@code denied}, {@code failed:404}. {@code details}: what changed, when the action says more than
 * its target (a GPIO write: {@code node=local pin=relay old=low new=high}); null for most actions.
 * {@code channel}: how a person asked for it when not through the API ({@code chat}, {@code voice});
 * null for API requests.
 */
public record AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId,
    String details, String channel) {

  public AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId) {
    this(actor, action, target, result, sourceIp, requestId, null, null);
  }

  public AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId,
      String details) {
    this(actor, action, target, result, sourceIp, requestId, details, null);
  }
}
