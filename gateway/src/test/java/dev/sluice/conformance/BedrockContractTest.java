package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.FrontClient.Reply;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.AwsEventStreams;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.SigV4Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract against AWS Bedrock ({@code type: bedrock}): Converse and ConverseStream, the stream
 * in AWS's binary event-stream framing (encoded by the AWS SDK's encoder), every request checked by
 * a fake that recomputes its SigV4 signature with the account's credentials and refuses a wrong one.
 * The target is a cross-region inference profile whose id carries a {@code :}, percent-encoded in
 * the path. Bedrock's inputTokens leave out cache reads and writes; the canonical input adds them.
 */
class BedrockContractTest extends ProviderContract {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKENFwoGZXIvYXdzEBYaDHVzLWVhc3QtMSJHMEUCIQ";
  static final String MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final String ENCODED_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0";

  final SigV4Verifier account = new SigV4Verifier(KEY_ID, SECRET, TOKEN, "us-east-1", "bedrock");

  @BeforeEach
  void checkSignatures() {
    upstream.guard(account::check);
  }

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: bedrock\nregion: us-east-1\nbase_url: http://127.0.0.1:" + upstream.port()
        + "\naccess_key_id: " + KEY_ID + "\nsecret_access_key: " + SECRET + "\nsession_token: " + TOKEN;
  }

  @Override
  protected String providerKey() {
    return SECRET;
  }

  @Override
  protected String targetModel() {
    return "\"" + MODEL_ID + "\"";
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.uri()).isEqualTo("/model/" + ENCODED_ID + (stream ? "/converse-stream" : "/converse"));
    assertThat(req.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
        .contains("/us-east-1/bedrock/aws4_request").doesNotContain(SECRET);
    assertThat(req.header("x-amz-security-token")).isEqualTo(TOKEN);
    assertThat(req.header("accept")).isEqualTo(stream ? AwsEventStreams.CONTENT_TYPE : "application/json");
    assertThat(account.check(req)).as("the signature the fake recomputes").isNull();
    assertThat(req.json().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(256);
  }

  @Override
  protected Upstream simpleAnswer() {
    return Upstream.json("bedrock/converse-text.json",
        Expected.text("The capital of France is Paris.", new UsageOut(14, 8, 0, 0L)));
  }

  @Override
  protected Upstream streamedAnswer() {
    return stream("bedrock/stream-text.jsonl", Expected.text(
        "Why did the chicken cross the road? To get to the other side — ünïcødé 🐔.", new UsageOut(12, 19, 0, 0L)));
  }

  @Override
  protected Upstream toolCallAnswer() {
    return Upstream.json("bedrock/converse-tool-use.json", Expected.toolCalls("I'll look up both.", List.of(
        call("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather", "{\"location\":\"Paris, FR\",\"unit\":\"celsius\"}"),
        call("tooluse_2Xc9s8WkT1uYx0dXq3pLmA", "get_time", "{\"timezone\":\"Europe/Paris\"}")),
        new UsageOut(511, 104, 0, 0L)));
  }

  @Override
  protected Upstream streamedToolCallAnswer() {
    // Text in block 0, the calls in blocks 1 and 2: the OpenAI front must see tool indexes 0 and 1.
    return stream("bedrock/stream-tool-use.jsonl", Expected.toolCalls("Checking both for you.", List.of(
        call("tooluse_Yl1xTq5cS2y5hQ3n8Wc0bA", "get_weather", "{\"location\":\"Paris, FR\",\"unit\":\"celsius\"}"),
        call("tooluse_Qm0a8PzuT4K8F4n1wD9xkw", "get_time", "{\"timezone\":\"Europe/Paris\"}")),
        new UsageOut(498, 121, 0, 0L)));
  }

  @Override
  protected Upstream usageAnswer() {
    // input 26 + cache read 2048 + cache write 1072
    return Upstream.json("bedrock/converse-cache-reasoning.json",
        Expected.text("There are 3 r's in \"strawberry\".", new UsageOut(3146, 96, 2048, 0L))
            .withReasoning("The user asks how many r's are in strawberry: s-t-r-a-w-b-e-r-r-y has three."));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    // input 266 + cache read 1024
    return stream("bedrock/stream-cache-reasoning.jsonl",
        Expected.text("Soft rain on the roof,\npuddles hold the grey sky still,\nfrogs begin to sing.",
            new UsageOut(1290, 109, 1024, 0L)).withReasoning("The user wants a haiku about rain."));
  }

  @Override
  protected Upstream jsonAnswer() {
    return Upstream.json("bedrock/converse-json.json",
        Expected.text("{\"city\": \"Paris\", \"population\": 2102650}", new UsageOut(87, 15, 0, 0L)));
  }

  @Override
  protected Upstream midStreamError() {
    return stream("bedrock/stream-exception.jsonl",
        Expected.failedMidStream("Here is the first part of a long", "overloaded"));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("bedrock/error-" + status + ".json");
  }

  @Override
  protected void assertSimpleRequest(JsonNode body) {
    assertThat(body.path("system")).isEqualTo(json("[{\"text\":\"You are terse.\"}]"));
    assertThat(body.path("messages")).isEqualTo(json("""
        [{"role":"user","content":[{"text":"What is the capital of France?"}]}]"""));
  }

  @Override
  protected void assertToolsDeclared(JsonNode body) {
    JsonNode tools = body.path("toolConfig").path("tools");
    assertThat(tools).hasSize(2);
    for (int i = 0; i < TOOLS.size(); i++) {
      JsonNode spec = tools.get(i).path("toolSpec");
      assertThat(spec.path("name").asText()).isEqualTo(TOOLS.get(i).name());
      assertThat(spec.path("description").asText()).isEqualTo(TOOLS.get(i).description());
      assertThat(spec.path("inputSchema").path("json")).isEqualTo(TOOLS.get(i).schema());
    }
  }

  @Override
  protected void assertToolHistory(JsonNode body) {
    JsonNode messages = body.path("messages");
    assertThat(OpenAiFamilyContract.roles(messages)).as("alternating turns in %s", messages)
        .containsExactly("user", "assistant", "user");
    assertThat(messages.get(1).path("content")).isEqualTo(json("""
        [{"text":"Let me look."},
         {"toolUse":{"toolUseId":"call_w1","name":"get_weather","input":{"location":"Paris, FR","unit":"celsius"}}},
         {"toolUse":{"toolUseId":"call_t2","name":"get_time","input":{"timezone":"Europe/Paris"}}}]"""));
    assertThat(messages.get(2).path("content")).as("one user turn holding both results").isEqualTo(json("""
        [{"toolResult":{"toolUseId":"call_w1","content":[{"text":"{\\"temperature\\":18,\\"unit\\":\\"celsius\\"}"}]}},
         {"toolResult":{"toolUseId":"call_t2","content":[{"text":"14:05"}]}}]"""));
    assertThat(body.path("toolConfig").path("tools")).as("tools declared with tool blocks in the history").hasSize(2);
  }

  @Override
  protected void assertImage(JsonNode body, String mediaType, String base64) {
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).path("content")).contains(
        json("{\"image\":{\"format\":\"" + mediaType.substring("image/".length()) + "\",\"source\":{\"bytes\":\""
            + base64 + "\"}}}"),
        json("{\"text\":\"What is in this image?\"}"));
  }

  @Override
  protected void assertJsonMode(JsonNode body, JsonNode schema) {
    StringBuilder system = new StringBuilder();
    body.path("system").forEach(block -> system.append('\n').append(block.path("text").asText()));
    assertThat(system.toString()).as("the JSON instruction in the system prompt of %s", body)
        .contains("JSON").contains(schema.toString());
  }

  // ---- Bedrock's own ----------------------------------------------------------------------

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void streamsGiveTheSameAnswerWhateverSizesTheProviderWritesIn(Front front) throws Exception {
    ChatSpec spec = ChatSpec.ask(MODEL, QUESTION).withTools(TOOLS).streamed(true);
    Random sizes = new Random(17);
    for (Upstream u : List.of(streamedAnswer(), streamedToolCallAnswer(), streamedUsageAnswer(), midStreamError())) {
      upstream.enqueue(u.response().get());
      Answer whole = front.client().send(gateway, spec).answer();
      takeRequest(true);
      List<Integer> tried = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int size = 2 + sizes.nextInt(40); // frames are 90-250 bytes: cut inside preludes, headers, payloads, CRCs
        tried.add(size);
        upstream.enqueue(u.response().get().splitInto(size));
        Answer split = front.client().send(gateway, spec).answer();
        assertThat(split).as("%s in %d-byte writes", u.fixture(), size).isEqualTo(whole);
        takeRequest(true);
      }
      assertThat(whole.httpStatus()).as(u.fixture()).isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void aSignatureMadeWithTheWrongSecretIsRefusedAndReportedAsAnAuthFailure(Front front) throws Exception {
    account.rotateSecret("a-different-secret-the-gateway-does-not-know");
    upstream.enqueue(simpleAnswer().response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION));

    assertThat(reply.answer().httpStatus()).as(reply.http().body()).isEqualTo(502);
    assertThat(reply.answer().errorKind()).isEqualTo("upstream_failed");
    assertThat(reply.answer().errorMessage()).contains("InvalidSignatureException")
        .doesNotContain("signature we calculated");
    assertThat(reply.http().body()).doesNotContain(SECRET).doesNotContain(KEY_ID);
    RecordedRequest refused = upstream.takeRequest();
    assertThat(account.check(refused)).isNotNull();
    account.rotateSecret(SECRET);
    assertThat(account.check(refused)).as("the same request checks with the right secret").isNull();
  }

  private static Upstream stream(String fixture, Expected expected) {
    return new Upstream(fixture, () -> AwsEventStreams.response(fixture), expected);
  }
}
