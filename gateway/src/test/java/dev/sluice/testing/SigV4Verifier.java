package dev.sluice.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The fake AWS side of SigV4: recomputes a received request's signature from its method, path,
 * signed headers, body and date with the credentials the fake "account" holds (through the AWS
 * SDK's signer), and answers as AWS does when they differ. Use as a {@link FakeUpstream#guard}.
 */
public final class SigV4Verifier {
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Set<String> COMPUTED = Set.of("x-amz-date", "x-amz-security-token", "authorization");

  private final String accessKeyId;
  private volatile String secretAccessKey;
  private final String sessionToken;
  private final String region;
  private final String service;

  public SigV4Verifier(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
    this.region = region;
    this.service = service;
  }

  /** The secret the fake account holds from now on (a rotated key: the gateway's no longer matches). */
  public void rotateSecret(String newSecret) {
    this.secretAccessKey = newSecret;
  }

  /** Null when {@code req} is signed right, else AWS's 403 answer. */
  public FakeResponse check(RecordedRequest req) {
    String auth = req.header("authorization");
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
      return refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    String credential = part(auth, "Credential=");
    String signedHeaders = part(auth, "SignedHeaders=");
    String date = req.header("x-amz-date");
    if (credential == null || signedHeaders == null || date == null) {
      return refuse("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders, Signature");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[0].equals(accessKeyId)) {
      return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!scope[2].equals(region) || !scope[3].equals(service) || !scope[4].equals("aws4_request")) {
      return refuse("InvalidSignatureException", "Credential should be scoped to a valid region and service.");
    }
    if (sessionToken != null && !sessionToken.equals(req.header("x-amz-security-token"))) {
      return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    Instant at = Instant.from(AMZ_DATE.parse(date));
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(req.method()))
        .uri(URI.create("http://" + req.header("host") + req.uri()));
    for (String name : signedHeaders.split(";")) {
      if (!COMPUTED.contains(name)) {
        request.putHeader(name, String.join(",", req.headers().getAll(name)));
      }
    }
    AwsCredentialsIdentity identity = sessionToken == null ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
        : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
    byte[] body = req.body().getBytes(StandardCharsets.UTF_8);
    String expected = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request.build())
            .payload(ContentStreamProvider.fromByteArray(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
        .request().firstMatchingHeader("Authorization").orElse("");
    if (!expected.equals(auth)) {
      return refuse("InvalidSignatureException", "The request signature we calculated does not match the signature"
          + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
          + " for details.");
    }
    return null;
  }

  private static String part(String auth, String key) {
    int at = auth.indexOf(key);
    if (at < 0) {
      return null;
    }
    int end = auth.indexOf(',', at);
    return auth.substring(at + key.length(), end < 0 ? auth.length() : end).trim();
  }

  private static FakeResponse refuse(String type, String message) {
    return FakeResponse.json(403, "{\"message\":\"" + message + "\"}")
        .header("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.coral.service/")
        .header("x-amzn-RequestId", "7b6c0a8e-1f2d-4c3b-9a8e-" + Integer.toHexString(type.hashCode() & 0xfffffff).toLowerCase(Locale.ROOT));
  }
}
