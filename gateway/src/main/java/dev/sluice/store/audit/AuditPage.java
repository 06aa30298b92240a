package dev.sluice.store.audit;

import java.util.List;

/**
 * One page of the audit log, newest first.
 *
 * @param next where the next page starts; null when this is the last
 */
public record AuditPage(List<AuditEntry> entries, AuditPosition next) {
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
