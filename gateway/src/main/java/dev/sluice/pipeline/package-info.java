/**
 * One request from admitted to answered: {@code RequestPipeline} assembles it from the config;
 * {@code InferenceHandler} parses through a {@code FrontDoor}, routes, admits ({@code FlowControl},
 * budgets) and starts an {@code Execution}, which runs {@code UpstreamAttempt}s (retries, fail-over,
 * fallbacks, hedges), relays a stream ({@code StreamRelay}), feeds target health back and answers
 * degraded when everything failed. {@code Exchange} is one client request's bookkeeping.
 *
 * <p>May use tenancy, billing, admission, routing, resilience, provider, upstream, observe, cost,
 * config, store and core. Must not use server, admin, cli, mock or extension; only server uses it.
 * {@code FrontDoor}/{@code FrontStream} are its port to the client's wire format: server implements them.
 */
package dev.sluice.pipeline;
