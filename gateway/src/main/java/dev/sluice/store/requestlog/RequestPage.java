package dev.sluice.store.requestlog;

import java.util.List;

/**
 * One page of the request log, newest first, without bodies.
 *
 * @param next where the next page starts; null when this is the last
 */
public record RequestPage(List<RequestRow> rows, RequestQuery.Position next) {
  public RequestPage {
    rows = List.copyOf(rows);
  }
}
