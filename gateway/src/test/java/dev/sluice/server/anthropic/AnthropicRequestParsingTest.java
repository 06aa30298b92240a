package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static dev.sluice.server.anthropic.FrontTestSupport.parseFixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.core.ChatRequest;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicRequestParsingTest {

  private static ChatCompletionRequest parse(String json) {
    return front().parse(Buffer.buffer(json)).body();
  }

  private static ChatMessage message(String role, MessageContent content) {
    return new ChatMessage(role, content, null, null, null, null);
  }

  private static ChatMessage toolMessage(String callId, String text) {
    return new ChatMessage("tool", MessageContent.text(text), null, null, callId, null);
  }

  @Test
  void aSystemStringBecomesALeadingSystemMessageAndTurnsKeepTheirOrder() {
    ChatCompletionRequest r = parseFixture("text_system_string").body();

    assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.maxTokens()).isEqualTo(1024);
    assertThat(r.maxCompletionTokens()).isNull();
    assertThat(r.temperature()).isEqualTo(0.7);
    assertThat(r.stream()).isFalse();
    assertThat(r.includeUsage()).isNull();
    assertThat(r.messages()).containsExactly(
        ChatMessage.of("system", "You are a concise assistant."),
        ChatMessage.of("user", "Hello, Claude"),
        ChatMessage.of("assistant", "Hello! How can I help?"),
        ChatMessage.of("user", "Tell me a fact about ants."));
    assertThat(r.tools()).isNull();
    assertThat(r.toolChoice()).isNull();
    assertThat(r.extra()).isEmpty();
  }

  @Test
  void systemTextBlocksBecomeTextPartsOfOneSystemMessage() {
    ChatCompletionRequest r = parseFixture("system_blocks").body();

    assertThat(r.messages()).hasSize(2);
    assertThat(r.messages().get(0)).isEqualTo(message("system", MessageContent.parts(List.of(
        ContentPart.text("You are an AI assistant tasked with analyzing literary works."),
        ContentPart.text("<the entire contents of Pride and Prejudice>")))));
    assertThat(r.messages().get(1)).isEqualTo(ChatMessage.of("user", "Analyze the major themes in Pride and Prejudice."));
  }

  @Test
  void aSingleSystemBlockIsPlainTextAndAnEmptySystemAddsNoMessage() {
    assertThat(parse("""
        {"model":"m","max_tokens":5,"system":[{"type":"text","text":"Be brief."}],
         "messages":[{"role":"user","content":"hi"}]}""").messages().get(0))
        .isEqualTo(ChatMessage.of("system", "Be brief."));
    assertThat(parse("""
        {"model":"m","max_tokens":5,"system":"","messages":[{"role":"user","content":"hi"}]}""").messages())
        .containsExactly(ChatMessage.of("user", "hi"));
  }

  @Test
  void base64ImagesBecomeDataUrlsAndUrlImagesKeepTheirUrl() {
    ChatCompletionRequest r = parseFixture("images").body();

    assertThat(r.messages()).containsExactly(message("user", MessageContent.parts(List.of(
        ContentPart.text("Image 1:"),
        ContentPart.image("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP==", null),
        ContentPart.text("Image 2:"),
        ContentPart.image("https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg", null),
        ContentPart.text("How are these images different?")))));
  }

  @Test
  void toolUseAndToolResultsRoundTripAsToolCallsAndToolMessages() {
    ChatCompletionRequest r = parseFixture("tool_round_trip").body();

    assertThat(r.tools()).hasSize(2);
    ToolDefinition weather = r.tools().get(0);
    assertThat(weather.type()).isEqualTo("function");
    assertThat(weather.name()).isEqualTo("get_weather");
    assertThat(weather.description()).isEqualTo("Get the current weather in a given location");
    assertThat(weather.parameters()).isEqualTo(json("""
        {"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
         "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}"""));
    assertThat(r.tools().get(1).name()).isEqualTo("get_time");
    assertThat(r.toolChoice()).isEqualTo(new ToolChoice("auto", null));
    assertThat(r.parallelToolCalls()).isFalse();

    assertThat(r.messages()).containsExactly(
        ChatMessage.of("user", "What is the weather like in San Francisco, and what time is it there?"),
        new ChatMessage("assistant", MessageContent.text("I'll look up both for you."), null, List.of(
            new ToolCall("toolu_01A09q90qw90lq917835lq9", "function", "get_weather",
                "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"),
            new ToolCall("toolu_01B7zDQ2xdCWzWVPZKx8cH4e", "function", "get_time",
                "{\"timezone\":\"America/Los_Angeles\"}")), null, null),
        toolMessage("toolu_01A09q90qw90lq917835lq9", "15 degrees, partly cloudy"),
        toolMessage("toolu_01B7zDQ2xdCWzWVPZKx8cH4e", "Error: time service unavailable\nretry in 30s"),
        ChatMessage.of("user", "Keep the answer short."));
  }

  @Test
  void toolResultsComeBeforeTheTextOfTheirTurnWhereverTheyStand() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":100,"tools":[{"name":"f","input_schema":{"type":"object"}}],
         "messages":[
          {"role":"user","content":"go"},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},
          {"role":"user","content":[
            {"type":"text","text":"Here you are."},
            {"type":"tool_result","tool_use_id":"toolu_1"},
            {"type":"text","text":"Thanks."}]}]}""");

    assertThat(r.messages()).containsExactly(
        ChatMessage.of("user", "go"),
        new ChatMessage("assistant", null, null, List.of(new ToolCall("toolu_1", "function", "f", "{}")), null, null),
        toolMessage("toolu_1", ""),
        message("user", MessageContent.parts(List.of(ContentPart.text("Here you are."), ContentPart.text("Thanks.")))));
  }

  @Test
  void aTurnOfOnlyToolResultsAddsNoUserMessageAndImagesInResultsFollowAsUserContent() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":100,"messages":[
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_a","content":[{"type":"text","text":"screenshot taken"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
            {"type":"tool_result","tool_use_id":"toolu_b","content":"ok","is_error":false}]}]}""");

    assertThat(r.messages()).containsExactly(
        toolMessage("toolu_a", "screenshot taken"),
        toolMessage("toolu_b", "ok"),
        message("user", MessageContent.parts(List.of(ContentPart.image("data:image/png;base64,iVBORw0KGgo=", null)))));
  }

  @Test
  void thinkingBlocksAreDroppedAndAssistantTextBlocksJoin() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":100,"messages":[
          {"role":"user","content":"hi"},
          {"role":"assistant","content":[
            {"type":"thinking","thinking":"hmm","signature":"sig"},
            {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
            {"type":"text","text":"Hello"},{"type":"text","text":" there"}]}]}""");

    assertThat(r.messages().get(1)).isEqualTo(ChatMessage.of("assistant", "Hello there"));
  }

  @Test
  void documentsBecomeFileOrTextParts() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":100,"messages":[{"role":"user","content":[
          {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQ="},"title":"q3.pdf"},
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."}},
          {"type":"text","text":"Summarise."}]}]}""");

    List<ContentPart> parts = r.messages().get(0).content().parts();
    assertThat(parts.get(0).type()).isEqualTo("file");
    assertThat(parts.get(0).raw()).isEqualTo(json("""
        {"type":"file","file":{"filename":"q3.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQ="}}"""));
    assertThat(parts.subList(1, 3)).containsExactly(ContentPart.text("The grass is green."), ContentPart.text("Summarise."));
  }

  @Test
  void parametersMapToTheirCanonicalFieldsAndTheRestStaysInExtra() {
    ChatRequest request = parseFixture("all_parameters");
    ChatCompletionRequest r = request.body();

    assertThat(r.stream()).isTrue();
    assertThat(request.clientWantsStreamUsage()).as("the stream's usage must reach the front").isTrue();
    assertThat(r.maxTokens()).isEqualTo(512);
    assertThat(r.stop()).containsExactly("\n\nHuman:", "END");
    assertThat(r.temperature()).isEqualTo(0.2);
    assertThat(r.topP()).isEqualTo(0.9);
    assertThat(r.user()).isEqualTo("13803d75-b4b5-4c3e-b2a2-6f21399b021b");
    assertThat(r.toolChoice()).isEqualTo(ToolChoice.named("lookup"));
    assertThat(r.parallelToolCalls()).isNull();
    assertThat(r.n()).isNull();
    assertThat(r.responseFormat()).isNull();
    assertThat(r.extra()).containsOnlyKeys("top_k", "thinking", "service_tier");
    assertThat(r.extra().get("top_k")).isEqualTo(IntNode.valueOf(40));
    assertThat(r.extra().get("thinking")).isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    assertThat(r.extra().get("service_tier").asText()).isEqualTo("standard_only");
  }

  @ParameterizedTest
  @CsvSource({
      "'{\"type\":\"auto\"}', auto, ",
      "'{\"type\":\"any\"}', required, ",
      "'{\"type\":\"none\"}', none, ",
      "'{\"type\":\"tool\",\"name\":\"f\"}', function, f"})
  void toolChoiceTypesMapToOpenAiModes(String choice, String mode, String name) {
    ChatCompletionRequest r = parse("{\"model\":\"m\",\"max_tokens\":9,\"tools\":[{\"name\":\"f\",\"input_schema\":"
        + "{\"type\":\"object\"}}],\"tool_choice\":" + choice + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(r.toolChoice()).isEqualTo(new ToolChoice(mode, name));
    assertThat(r.parallelToolCalls()).isNull();
  }

  @Test
  void disableParallelToolUseTurnsParallelToolCallsOff() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":9,"tools":[{"name":"f","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},"messages":[{"role":"user","content":"x"}]}""");

    assertThat(r.toolChoice()).isEqualTo(new ToolChoice("required", null));
    assertThat(r.parallelToolCalls()).isFalse();
  }

  @Test
  void toolChoiceWithoutToolsIsDropped() {
    ChatCompletionRequest r = parse("""
        {"model":"m","max_tokens":9,"tool_choice":{"type":"auto","disable_parallel_tool_use":true},
         "messages":[{"role":"user","content":"x"}]}""");

    assertThat(r.tools()).isNull();
    assertThat(r.toolChoice()).isNull();
    assertThat(r.parallelToolCalls()).isNull();
  }

  @Test
  void countTokensRequestsNeedNoMaxTokens() {
    ChatRequest r = front().parseForCounting(Buffer.buffer(FrontTestSupport.fixture("request/count_tokens.json")));

    assertThat(r.body().maxTokens()).isNull();
    assertThat(r.body().messages()).extracting(ChatMessage::role)
        .containsExactly("system", "user", "assistant", "tool", "user");
  }
}
