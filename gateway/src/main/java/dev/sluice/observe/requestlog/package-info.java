/**
 * Request-log body capture: which part of a request's and answer's bodies is looked at
 * ({@link dev.sluice.observe.requestlog.BodyCapture}), and how it is redacted and cut before it
 * goes anywhere ({@link dev.sluice.observe.requestlog.BodyPolicy}). Depends on {@code core} only;
 * the request-log rows themselves are written by {@code observe.ledger}.
 */
package dev.sluice.observe.requestlog;
