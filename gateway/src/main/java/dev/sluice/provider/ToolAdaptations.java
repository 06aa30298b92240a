package dev.sluice.provider;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.Target;
import java.util.List;

/**
 * An adapter that rewrites the tool-related parts of a request for its provider (tool schemas,
 * tool-call ids, strict flags) tells which, so the gateway can list them in
 * {@code x-sluice-adapted-params}. The answer is exactly what {@link ProviderAdapter#encode} does
 * with the same request: both run the same pure translation.
 */
public interface ToolAdaptations {

  /**
   * The parameters {@code encode} rewrites for {@code target}, in request order, e.g.
   * {@code tools[0].function.parameters}, {@code tools[1].function.strict},
   * {@code response_format.json_schema.schema}, {@code tool_call_ids}; empty when nothing changes.
   *
   * @throws dev.sluice.api.openai.WireFormatException when {@code encode} would refuse the request
   */
  List<String> toolAdaptations(ChatRequest request, Target target);
}
