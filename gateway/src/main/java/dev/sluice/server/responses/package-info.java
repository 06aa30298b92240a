/**
 * The OpenAI Responses API front door: {@code POST /v1/responses} as the official OpenAI SDKs'
 * {@code responses} calls speak it, translated to and from Sluice's canonical form so any provider
 * can serve it, or passed through natively to an OpenAI target for what only OpenAI can do; and
 * {@code GET}/{@code DELETE /v1/responses/{id}}, which only pass through.
 * {@link dev.sluice.server.responses.ResponsesFrontDoor} is the entry point.
 */
package dev.sluice.server.responses;
