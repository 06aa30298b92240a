/**
 * OpenTelemetry traces of the request path: one SERVER span per client request and one CLIENT
 * child span per upstream attempt, with the GenAI semantic-convention attributes (pinned:
 * OpenTelemetry semantic conventions v1.41.0; v1.41.1 left GenAI unchanged, later releases moved it
 * to its own repository) and Sluice's own. {@code Tracing} builds the SDK from
 * {@code TracingOptions} and the standard {@code OTEL_*} environment, or stays off: then
 * {@code RequestTracer.OFF} hands out no span at all (null), so the request path pays a null check
 * and nothing else.
 *
 * <p>May use core, its sibling {@code observe} types ({@code RequestSummary}) and the OpenTelemetry
 * API and SDK; never config, pipeline or server: the pipeline calls in here, not the other way round.
 * Prompt and completion text never go into a span.
 */
package dev.sluice.observe.trace;
