package dev.sluice.observe.trace;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The span attribute keys Sluice sets. GenAI, {@code server.*}, {@code error.type} and
 * {@code http.response.status_code} follow OpenTelemetry semantic conventions v1.41.0 (GenAI
 * attributes are "development" stability there: pinned so a rename upstream does not change our
 * spans silently); {@code sluice.*} are ours.
 */
final class TraceKeys {
  private TraceKeys() {}

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("sluice.request_id");
  static final AttributeKey<String> SLUICE_PROVIDER = AttributeKey.stringKey("sluice.provider");
  static final AttributeKey<String> MODEL_ENTRY = AttributeKey.stringKey("sluice.model_entry");
  static final AttributeKey<String> ATTEMPT_KIND = AttributeKey.stringKey("sluice.attempt.kind");
  static final AttributeKey<String> ATTEMPT_OUTCOME = AttributeKey.stringKey("sluice.attempt.outcome");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("sluice.attempts");
  static final AttributeKey<String> BREAKER_STATE = AttributeKey.stringKey("sluice.breaker.state");
  static final AttributeKey<Double> QUEUE_WAIT_MS = AttributeKey.doubleKey("sluice.queue_wait_ms");
  static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("sluice.cost_micros");
  static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("sluice.usage_estimated");
  static final AttributeKey<String> KEY_NAME = AttributeKey.stringKey("sluice.key.name");
  static final AttributeKey<String> TEAM = AttributeKey.stringKey("sluice.team");
}
