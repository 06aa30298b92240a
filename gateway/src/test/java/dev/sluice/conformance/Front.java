package dev.sluice.conformance;

/** The client-facing formats a scenario runs through: each one talks to the gateway with its own client. */
enum Front {
  /** {@code POST /v1/chat/completions}, OpenAI Chat Completions. */
  OPENAI(new OpenAiFrontClient()),
  /** {@code POST /v1/messages}, Anthropic Messages. */
  ANTHROPIC(new AnthropicFrontClient());

  private final FrontClient client;

  Front(FrontClient client) {
    this.client = client;
  }

  FrontClient client() {
    return client;
  }
}
