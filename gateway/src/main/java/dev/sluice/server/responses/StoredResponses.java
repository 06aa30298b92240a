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
import dev.sluice.core.ResponsesBody;
import dev.sluice.pipeline.AnswerTap;
import dev.sluice.store.StoredResponseRow;
import dev.sluice.store.StoredResponseStore;
import dev.sluice.tenancy.Principal;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items} and
 * {@code DELETE /v1/responses/{id}}: responses stored by OpenAI, reached only by passing through, and
 * only by the client key that created them. When a request passed through to a provider of type
 * {@code openai} leaves a response stored there ({@code store} true or absent), {@link #recorder()}
 * notes its id, the key and the provider in the {@link StoredResponseStore} (off the event loop; a
 * failed write is logged and the client's answer stands). These routes look the id up: an unknown id
 * and another key's id get the same 404 in OpenAI's shape, so whether an id exists does not leak; the
 * owner's request goes straight to the provider that holds it, and its answer is relayed as it came.
 * A {@code DELETE} that OpenAI answers 2xx (or 404: gone there already) removes the row. The master
 * key is a key like any other here: it reaches the responses it created. Answers translated from
 * other providers are never stored ({@code "store": false} in them), so a 404 is right for their ids
 * too. Thread-safe.
 */
public final class StoredResponses {
  private static final Logger LOG = LoggerFactory.getLogger(StoredResponses.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

  /** The providers running now: read per call, so a config reload's new or changed providers are used. */
  private final java.util.function.Supplier<java.util.Collection<ProviderRuntime>> running;
  private final StoredResponseStore store;
  private final Clock clock;

  /**
   * {@code running}: every provider running now; those with OpenAI's native Responses API hold
   * stored responses. {@code clock} stamps the rows (aged out with the ledger's retention).
   */
  public StoredResponses(java.util.function.Supplier<java.util.Collection<ProviderRuntime>> running,
      StoredResponseStore store, Clock clock) {
    this.running = running;
    this.store = store;
    this.clock = clock;
  }

  /** The running providers that hold stored responses, by name. */
  private Map<String, ProviderRuntime> providers() {
    Map<String, ProviderRuntime> m = new HashMap<>();
    running.get().stream().filter(p -> p.adapter().capabilities().supports(Feature.NATIVE_RESPONSES))
        .forEach(p -> m.put(p.name(), p));
    return m;
  }

  /** Who owns what a caller creates: its stored key's id, else (config keys, master, no auth) its name. */
  static String owner(Principal who) {
    return who == null ? null : who.keyId() != null ? who.keyId() : "name:" + who.name();
  }

  /** The tap {@code POST /v1/responses} installs: records each response OpenAI stores, and whose it is. */
  public AnswerTap recorder() {
    return (who, provider, request, id) -> {
      ResponsesBody body = request.responses();
      String owner = owner(who);
      if (owner == null || body == null || !body.passThrough() || !providers().containsKey(provider)
          || !body.json().path("store").asBoolean(true)) {
        return;
      }
      store.record(new StoredResponseRow(id, owner, provider, clock.instant())).onFailure(e ->
          LOG.warn("Could not record stored response {} (its creator will get 404 reading it): {}", id, e.toString()));
    };
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
    String owner = owner(ctx.get(Principal.KEY));
    String query = ctx.request().query();
    String path = "/responses/" + id + suffix + (query == null || query.isEmpty() ? "" : "?" + query);
    store.find(id).onComplete(found -> {
      if (found.failed()) {
        LOG.warn("Could not look up stored response {}: {}", id, found.cause().toString());
        ex.fail(new ApiError(503, "api_error", "store_unavailable", null,
            "Sluice could not check who owns this response; try again."));
        return;
      }
      ProviderRuntime p = found.result().filter(r -> r.keyId().equals(owner))
          .map(r -> providers().get(r.provider())).orElse(null);
      if (p == null) {
        ex.fail(notFound(id));
        return;
      }
      ask(ctx, ex, p, new UpstreamRequest(method, path,
          MultiMap.caseInsensitiveMultiMap().add("accept", "application/json"), Buffer.buffer(), false), id,
          method == HttpMethod.DELETE && suffix.isEmpty());
    });
  }

  private ApiError notFound(String id) {
    return new ApiError(404, "invalid_request_error", null, null, "Response with id '" + id + "' not found."
        + (providers().isEmpty() ? " Sluice passes stored responses through to providers of type openai; none is configured." : ""));
  }

  private void ask(RoutingContext ctx, Exchange ex, ProviderRuntime p, UpstreamRequest request, String id,
      boolean deleting) {
    UpstreamCall call = p.client().send(request);
    call.responded().onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(failure(p, ar.cause()));
        return;
      }
      call.body().onComplete(body -> {
        if (deleting && (body.succeeded() && call.status() < 300 || call.status() == 404)) {
          store.remove(id).onFailure(e -> LOG.warn("Could not remove stored response {}: {}", id, e.toString()));
        }
        if (body.failed()) {
          ex.fail(failure(p, body.cause()));
        } else if (call.status() == 404) {
          ex.fail(notFound(id));
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
