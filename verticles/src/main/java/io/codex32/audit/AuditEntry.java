package io.codex32.audit;

/**
 * What happened, before it is sealed into the chain. {@code result} is e.g. {@code success},
 * {@code denied}, {@code failed:404}.
 */
public record AuditEntry(String actor, String action, String target, String result, String sourceIp, String requestId) {
}
