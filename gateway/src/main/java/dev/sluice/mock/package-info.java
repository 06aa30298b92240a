/**
 * A fault-injecting fake LLM provider ("mock upstream") on real sockets.
 *
 * <p>{@link dev.sluice.mock.MockUpstream} serves the OpenAI, Anthropic Messages and Gemini wire
 * formats with deterministic answers ({@link dev.sluice.mock.MockAnswer}); {@link
 * dev.sluice.mock.FaultSpec} describes per-request faults (latency, errors, hangs, resets, cut
 * streams). Users point their own tests at it, and the gateway uses it as its built-in {@code mock}
 * provider in demo mode.
 */
package dev.sluice.mock;
