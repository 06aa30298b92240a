package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.routing.Route;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Embeds the two answers of a shadow pair through the gateway's embeddings path (the model's
 * route, its provider's {@link dev.sluice.provider.EmbeddingsAdapter} and pooled client), for
 * their cosine similarity.
 */
final class ShadowEmbeddings {
  /** The vectors, in input order, and what the call used. */
  record Embedded(List<double[]> vectors, Target target, String provider, EmbeddingsResponse response) {}

  private ShadowEmbeddings() {}

  /** Fails when the model has no route or no embeddings, or the call fails. */
  static Future<Embedded> embed(Services s, String model, List<String> texts) {
    Optional<Route> route = s.router().route(model);
    if (route.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no model named " + model));
    }
    Target target = route.get().targets().get(0);
    ProviderRuntime p = s.providers().get(target.provider());
    if (p == null || p.embeddings() == null) {
      return Future.failedFuture(new IllegalStateException("model " + model + " has no embeddings API"));
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    var input = body.putArray("input");
    texts.forEach(t -> input.add(t.isEmpty() ? " " : t)); // an empty input is refused by providers
    var call = p.client().send(p.embeddings().encodeEmbeddings(new EmbeddingsRequest(model, body), target));
    return call.responded().compose(c -> c.body()).map(buf -> {
      if (call.status() >= 300) {
        throw new UpstreamFailure(p.adapter().classify(call.status(), call.headers(), buf));
      }
      EmbeddingsResponse r = p.embeddings().decodeEmbeddings(buf);
      return new Embedded(vectors(r.body(), texts.size()), target, p.name(), r);
    });
  }

  private static List<double[]> vectors(JsonNode body, int n) {
    double[][] out = new double[n][];
    for (JsonNode d : body.path("data")) {
      int i = d.path("index").asInt(-1);
      JsonNode e = d.path("embedding");
      if (i >= 0 && i < n && e.isArray()) {
        double[] v = new double[e.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = e.get(k).asDouble();
        }
        out[i] = v;
      }
    }
    for (double[] v : out) {
      if (v == null) {
        throw new IllegalStateException("the embeddings answer lacks a vector");
      }
    }
    return List.of(out);
  }
}
