package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Authenticates one outgoing request from what it is, body included, just before it is sent (AWS
 * SigV4), where a fixed key header cannot. Called on the event loop for every attempt: must not
 * block (credentials are fetched ahead, elsewhere). Thread-safe.
 */
@FunctionalInterface
public interface RequestSigner {

  /**
   * @param url the full URL the request goes to (scheme, host, port, encoded path and query)
   * @param headers every header that will be sent, except {@code Host} and {@code Content-Length},
   *     which the HTTP client writes
   * @param body the exact bytes that will be sent
   * @return the headers to add ({@code Authorization}, {@code X-Amz-Date}, ...)
   * @throws dev.sluice.core.UpstreamFailure when it cannot sign now (no credentials yet): the call
   *     fails with that error without being sent
   */
  Map<String, String> sign(HttpMethod method, URI url, MultiMap headers, Buffer body);

  /**
   * The secret values this authenticates with now, and those it used just before a rotation (an
   * answer to a call sent before may echo them): the client removes them from error text like its
   * fixed key. Cheap and non-blocking; an unchanged list is returned equal, so the client can keep
   * what it built from it.
   */
  default List<String> secrets() {
    return List.of();
  }
}
