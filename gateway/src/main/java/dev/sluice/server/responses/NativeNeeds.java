package dev.sluice.server.responses;

/**
 * What in a Responses request only OpenAI can serve, as the parse finds it: the first such field is
 * named in the 400 when the model routes elsewhere. Not thread-safe: one per parse.
 */
final class NativeNeeds {
  private String first;

  /** Notes a field only OpenAI can serve ({@code previous_response_id}, {@code tools[1].type=web_search}). */
  void need(String feature) {
    if (first == null) {
      first = feature;
    }
  }

  /** The first field noted; null when the request translates to every provider. */
  String first() {
    return first;
  }
}
