/**
 * The HTTP shell: the composition root ({@code Gateway}), one front verticle per core, the routes,
 * the front doors (OpenAI Chat Completions here, Anthropic Messages in {@code server.anthropic}),
 * request ids, and the small handlers that are not the request path (models, health, metrics,
 * count_tokens, a key's own {@code /v1/sluice/*} reads).
 *
 * <p>May use every package below it. Nothing but {@code cli} and {@code embed} may use it; admin routes reach the
 * running gateway through {@code extension}, never through this package.
 */
package dev.sluice.server;
