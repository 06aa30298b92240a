package dev.sluice.upstream.aws;

import dev.sluice.upstream.RequestSigner;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs requests with AWS Signature Version 4 through the AWS SDK's own signer
 * ({@link AwsV4HttpSigner}): the canonical request covers the method, the path, the query, the
 * headers sent and the SHA-256 of the body, so each attempt is signed from its exact bytes right
 * before it is sent. Pure CPU (two hashes and four HMACs); the credentials come from an
 * {@link AwsCredentialsSource} that fetched them ahead of time. Thread-safe.
 */
public final class AwsRequestSigner implements RequestSigner {
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  /** What an earlier signature of the same request left behind: recomputed, never signed over. */
  private static final Set<String> SIGNATURE_HEADERS = Set.of("authorization", "x-amz-date", "x-amz-security-token",
      "x-amz-content-sha256", "host", "content-length");

  private final AwsCredentialsSource credentials;
  private final String service;
  private final String region;
  private final Clock clock;

  /** @param service the signing name, {@code bedrock} for the Bedrock runtime */
  public AwsRequestSigner(AwsCredentialsSource credentials, String service, String region, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.service = Objects.requireNonNull(service, "service");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @throws dev.sluice.core.UpstreamFailure (auth) when no credentials are available yet */
  @Override
  public Map<String, String> sign(HttpMethod method, URI url, MultiMap headers, Buffer body) {
    AwsCredentialsIdentity identity = credentials.current();
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method.name())).uri(url);
    headers.forEach(h -> {
      if (!SIGNATURE_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        request.appendHeader(h.getKey(), h.getValue());
      }
    });
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> added = new LinkedHashMap<>();
    signed.request().forEachHeader((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      // Host is the HTTP client's to write (it writes the same host[:port] the signer derived from the URL).
      if (SIGNATURE_HEADERS.contains(lower) && !lower.equals("host") && !lower.equals("content-length")) {
        added.put(name, String.join(",", values));
      }
    });
    return added;
  }

  /** The credentials' key id, secret key and session token, current and previous. */
  @Override
  public List<String> secrets() {
    return credentials.secrets();
  }
}
