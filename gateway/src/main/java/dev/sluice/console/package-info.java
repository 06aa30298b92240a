/**
 * The web console at {@code /ui}: static pages and ES modules served from the jar (uPlot from its
 * WebJar), and the console's sign-in (a signed, expiring session cookie and its CSRF token). Every
 * number a page shows comes from the same API a script calls ({@code /admin/...} for an admin,
 * {@code /v1/sluice/...} for a client key); the console adds no data routes of its own.
 *
 * <p>May use everything below {@code server}; nothing imports it. Never on the inference path.
 */
package dev.sluice.console;
