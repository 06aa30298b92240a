package dev.sluice.pipeline;

import dev.sluice.core.ChatRequest;
import dev.sluice.tenancy.Principal;

/**
 * Told, once per request, the id of the answer the committed provider gave: a whole answer's as
 * soon as it is sent, a stream's from the first chunk that carries an id (for a Responses request
 * passed through to OpenAI: its {@code response.completed} event). Runs on the request's event
 * loop and must not block.
 */
@FunctionalInterface
public interface AnswerTap {

  /**
   * @param who the caller ({@link Principal#ANONYMOUS} or a key's principal; null if never authenticated)
   * @param provider the configured provider (by name) that answered
   * @param request the request as that provider was sent it
   * @param answerId the provider's id of its answer; never empty
   */
  void answered(Principal who, String provider, ChatRequest request, String answerId);
}
