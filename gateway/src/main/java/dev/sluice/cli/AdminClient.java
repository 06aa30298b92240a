package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The admin API over HTTP, for the {@code keys} and {@code teams} commands: where the gateway is
 * and its master key, as options shared by those commands (a picocli mixin).
 */
final class AdminClient {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:SLUICE_URL:-http://localhost:4000}",
      description = "The gateway (default: $SLUICE_URL, else ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--master-key", paramLabel = "KEY", defaultValue = "${env:SLUICE_MASTER_KEY}",
      description = "The gateway's master key (default: $SLUICE_MASTER_KEY)")
  String masterKey;

  /** A failed call, with the message to print; {@link #exitCode} 1 (the call failed) or 2 (usage). */
  static final class Failure extends Exception {
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /** The answer's JSON body, for a 2xx answer. */
  JsonNode get(String path) throws Failure {
    return send("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) throws Failure {
    return send("POST", path, body);
  }

  JsonNode delete(String path) throws Failure {
    return send("DELETE", path, null);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Appends {@code name=value} (encoded) to a query string being built; nothing when value is null. */
  static void appendParam(StringBuilder q, String name, String value) {
    if (value != null) {
      q.append(q.length() == 0 ? '?' : '&').append(name).append('=').append(encode(value));
    }
  }

  private JsonNode send(String method, String path, JsonNode body) throws Failure {
    if (masterKey == null || masterKey.isBlank()) {
      throw new Failure(2, "no master key: pass --master-key or set SLUICE_MASTER_KEY");
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path));
    } catch (IllegalArgumentException e) {
      throw new Failure(2, "bad --url '" + url + "': " + e.getMessage());
    }
    b.timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + masterKey.strip())
        .header("accept", "application/json");
    if (body != null) {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> res;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new Failure(1, "cannot reach the gateway at " + base + " (is it running?)");
    } catch (IOException e) {
      throw new Failure(1, "cannot reach the gateway at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(1, "interrupted");
    }
    JsonNode json;
    try {
      json = res.body().length == 0 ? null : Json.parse(res.body());
    } catch (IOException e) {
      json = null;
    }
    if (res.statusCode() / 100 != 2) {
      JsonNode error = json == null ? null : json.path("error");
      String message = error == null || error.isMissingNode() ? "HTTP " + res.statusCode()
          : error.path("message").asText("HTTP " + res.statusCode());
      String param = error == null ? null : error.path("param").isTextual() ? error.path("param").asText() : null;
      throw new Failure(1, res.statusCode() + ": " + message + (param == null ? "" : " (" + param + ")"));
    }
    if (json == null) {
      throw new Failure(1, "the gateway answered " + res.statusCode() + " without a JSON body");
    }
    return json;
  }
}
