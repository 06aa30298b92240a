package dev.sluice.server.responses;

import dev.sluice.core.ApiError;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Feature;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ProviderRuntime;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items} and
 * {@code DELETE /v1/responses/{id}}: responses stored by OpenAI, reached only by passing through.
 * Sluice keeps no copy and no table: OpenAI is where a stored response lives, so each provider of
 * type {@code openai} is asked in turn (by name) and the first answer other than 404 is relayed as it
 * came; none has it: a 404 in OpenAI's shape. Answers translated from other providers are never
 * stored ({@code "store": false} in them), so a 404 is right for their ids too. Thread-safe.
 */
public final class StoredResponses {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

  private final List<ProviderRuntime> providers;

  /** {@code all}: every configured provider; those with OpenAI's native Responses API are asked. */
  public StoredResponses(java.util.Collection<ProviderRuntime> all) {
    this.providers = all.stream().filter(p -> p.adapter().capabilities().supports(Feature.NATIVE_RESPONSES))
        .sorted(Comparator.comparing(ProviderRuntime::name)).toList();
  }

  public void get(RoutingContext ctx) {
    relay(ctx, HttpMethod.GET, "");
  }

  public void inputItems(RoutingContext ctx) {
    relay(ctx, HttpMethod.GET, "/input_items");
  }

  public void delete(RoutingContext ctx) {
    relay(ctx, HttpMethod.DELETE, "");
  }

  private void relay(RoutingContext ctx, HttpMethod method, String suffix) {
    Exchange ex = Exchange.of(ctx);
    String id = ctx.pathParam("id");
    if (id == null || !ID.matcher(id).matches()) {
      ex.fail(ApiError.invalidRequest("response_id", "Invalid 'response_id': expected letters, digits, '_' or '-'."));
      return;
    }
    String query = ctx.request().query();
    String path = "/responses/" + id + suffix + (query == null || query.isEmpty() ? "" : "?" + query);
    ask(ctx, ex, new UpstreamRequest(method, path, MultiMap.caseInsensitiveMultiMap().add("accept", "application/json"),
        Buffer.buffer(), false), id, 0);
  }

  private void ask(RoutingContext ctx, Exchange ex, UpstreamRequest request, String id, int i) {
    if (i >= providers.size()) {
      ex.fail(new ApiError(404, "invalid_request_error", null, null, "Response with id '" + id + "' not found."
          + (providers.isEmpty() ? " Sluice passes stored responses through to providers of type openai; none is configured." : "")));
      return;
    }
    ProviderRuntime p = providers.get(i);
    UpstreamCall call = p.client().send(request);
    call.responded().onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(failure(p, ar.cause()));
        return;
      }
      if (call.status() == 404) {
        call.body().onComplete(ignored -> ask(ctx, ex, request, id, i + 1));
        return;
      }
      call.body().onComplete(body -> {
        if (body.failed()) {
          ex.fail(failure(p, body.cause()));
        } else if (call.status() >= 300) {
          ex.fail(p.redact(p.adapter().classify(call.status(), call.headers(), body.result())).toApiError(p.name()));
        } else if (!ctx.response().closed()) {
          ctx.response().setStatusCode(call.status()).putHeader("content-type", "application/json")
              .putHeader("x-sluice-provider", p.name()).end(body.result());
          ex.finish(call.status());
        } else {
          ex.finish(499);
        }
      });
    });
  }

  private static ApiError failure(ProviderRuntime p, Throwable cause) {
    UpstreamError e = cause instanceof UpstreamFailure f ? f.error()
        : UpstreamError.of(ErrorClass.CONNECTION, 0, "the provider could not be reached");
    return p.redact(e).toApiError(p.name());
  }
}
