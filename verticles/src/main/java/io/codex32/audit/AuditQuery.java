package io.codex32.audit;

import java.time.Instant;

/** Filters for the audit listing; {@code null} fields do not filter. Newest first. */
public record AuditQuery(String actor, String action, String target, String result, Instant since, Instant until,
    int offset, int limit) {
}
