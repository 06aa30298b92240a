package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.conformance.FrontClient.Reply;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Bedrock provider configured with a Bedrock API key sends it as a bearer token and signs nothing. */
class BedrockApiKeyTest {
  static final String KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleS0xMjM0NTY3ODkw";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  TestGateway gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aBedrockApiKeyGoesAsABearerTokenWithoutSigV4() throws Exception {
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - name: aws
            type: bedrock
            region: us-west-2
            base_url: http://127.0.0.1:%d
            api_key: %s
        models:
          - name: chat
            targets: [ { provider: aws, model: "amazon.nova-lite-v1:0" } ]
        keys:
          - { key: %s, name: tester }
        """.formatted(upstream.port(), KEY, TestGateway.KEY));
    upstream.enqueue(FakeResponse.json(200, Fixtures.text("bedrock/converse-text.json")));

    Reply reply = Front.OPENAI.client().send(gateway, ChatSpec.ask("chat", "What is the capital of France?"));

    assertThat(reply.answer().httpStatus()).as(reply.http().body()).isEqualTo(200);
    assertThat(reply.answer().text()).isEqualTo("The capital of France is Paris.");
    RecordedRequest req = upstream.takeRequest();
    assertThat(req.uri()).isEqualTo("/model/amazon.nova-lite-v1%3A0/converse");
    assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(req.header("x-amz-date")).isNull();
  }
}
