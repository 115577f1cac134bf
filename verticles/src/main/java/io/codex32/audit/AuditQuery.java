package io.codex32.audit;

import java.time.Instant;

/**
 * Filters for the audit listing; {@code null} fields do not filter. Text filters match exactly;
 * {@code since} is inclusive and {@code until} exclusive. Newest first; see
 * {@link AuditLog#list(AuditQuery)} for how offset and limit are normalised.
 */
public record AuditQuery(String actor, String action, String target, String result, Instant since, Instant until,
    int offset, int limit) {
}
