package dev.sluice.upstream.google;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * One kind of Google Application Default Credential: what is exchanged for an OAuth access token.
 * Parsing only; {@link GoogleTokenGrant} does the exchange.
 */
sealed interface GoogleCredential {
  String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

  /** Where it came from, for log lines and errors (a file path or the metadata server); never a secret. */
  String origin();

  /** A service-account key file ({@code "type": "service_account"}): a signed JWT is exchanged. */
  record ServiceAccount(String origin, String clientEmail, String keyId, PrivateKey privateKey, String tokenUri)
      implements GoogleCredential {
    @Override
    public String toString() {
      return "service account " + clientEmail + " (" + origin + ")";
    }
  }

  /** gcloud's user login ({@code "type": "authorized_user"}): a refresh token is exchanged. */
  record AuthorizedUser(String origin, String clientId, String clientSecret, String refreshToken, String tokenUri)
      implements GoogleCredential {
    @Override
    public String toString() {
      return "authorized user (" + origin + ")";
    }
  }

  /** The GCE/GKE/Cloud Run metadata server: it hands out the attached service account's tokens. */
  record Metadata(String origin, String baseUrl) implements GoogleCredential {
    @Override
    public String toString() {
      return "metadata server " + baseUrl + " (" + origin + ")";
    }
  }

  /**
   * Reads a credentials JSON file's content.
   *
   * @throws IllegalArgumentException naming what is missing or unsupported, never quoting a secret
   */
  static GoogleCredential parse(JsonNode json, String origin) {
    String type = json.path("type").asText("");
    String tokenUri = json.path("token_uri").asText(DEFAULT_TOKEN_URI);
    return switch (type) {
      case "service_account" -> new ServiceAccount(origin, required(json, "client_email", origin),
          json.path("private_key_id").asText(null), privateKey(required(json, "private_key", origin), origin), tokenUri);
      case "authorized_user" -> new AuthorizedUser(origin, required(json, "client_id", origin),
          required(json, "client_secret", origin), required(json, "refresh_token", origin), tokenUri);
      default -> throw new IllegalArgumentException(origin + ": credentials of type '" + type
          + "' are not supported (service_account or authorized_user)");
    };
  }

  private static String required(JsonNode json, String field, String origin) {
    String v = json.path(field).asText("");
    if (v.isBlank()) {
      throw new IllegalArgumentException(origin + ": '" + field + "' is missing");
    }
    return v;
  }

  /** A PKCS#8 PEM RSA key, as Google writes it into key files. */
  private static PrivateKey privateKey(String pem, String origin) {
    String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": 'private_key' is not a PKCS#8 RSA key in PEM form");
    }
  }
}
