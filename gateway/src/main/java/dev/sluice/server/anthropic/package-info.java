/**
 * The Anthropic Messages front door: {@code POST /v1/messages} (and {@code count_tokens}) as the
 * official Anthropic SDKs speak it, translated to and from Sluice's canonical (OpenAI-shaped) form so
 * any provider can serve it. {@link dev.sluice.server.anthropic.AnthropicFrontDoor} is the entry
 * point; {@link dev.sluice.server.anthropic.AnthropicTokenCounter} estimates input tokens. Everything
 * else here is package-private translation: request parsing, response and stream encoding, errors.
 */
package dev.sluice.server.anthropic;
