/**
 * The seam for routes mounted beside the inference API (the admin API): {@code AdminMount} and the
 * read-only {@code GatewayView} of a running gateway. Interfaces only; server implements and calls
 * them, admin implements {@code AdminMount}, so neither imports the other.
 *
 * <p>May use core and store. Must not use anything of the request path.
 */
package dev.sluice.extension;
