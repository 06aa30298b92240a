package dev.sluice.config;

import java.util.Set;
import java.util.regex.Pattern;

/** Reads the AWS keys of a provider entry: {@code region} and explicit credentials, for {@code bedrock} only. */
final class AwsParser {
  static final Set<String> KEYS = Set.of("region", "access_key_id", "secret_access_key", "session_token");
  /** us-east-1, eu-central-2, ap-southeast-3, us-gov-west-1, cn-northwest-1. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  private AwsParser() {}

  /** The entry's AWS settings when {@code type} is bedrock (problems recorded on {@code p}), else null. */
  static AwsSettings read(ConfigNode p, ProviderType type) {
    if (type != ProviderType.BEDROCK) {
      for (String key : KEYS) {
        if (p.has(key)) {
          p.problem(key, "is only for provider type 'bedrock'");
        }
      }
      return null;
    }
    String region = p.requiredString("region");
    if (region != null && !REGION.matcher(region).matches()) {
      p.problem("region", "must be an AWS region such as us-east-1");
    }
    String id = p.optionalSecret("access_key_id");
    String secret = p.optionalSecret("secret_access_key");
    String token = p.optionalSecret("session_token");
    if (!credentialsUnset(p) && (id == null) != (secret == null)) {
      p.problem(id == null ? "access_key_id" : "secret_access_key",
          "is required with " + (id == null ? "secret_access_key" : "access_key_id")
              + " (or leave both out to use the AWS default credentials chain)");
    }
    if (token != null && id == null) {
      p.problem("session_token", "needs access_key_id and secret_access_key");
    }
    if (p.has("api_key") && (p.has("access_key_id") || p.has("secret_access_key"))) {
      p.problem("api_key", "is a Bedrock API key (bearer token): set it or access_key_id/secret_access_key, not both");
    }
    return region == null ? null : new AwsSettings(region, id, id == null ? null : secret, id == null ? null : token);
  }

  /**
   * Whether credentials the entry names are missing: {@code access_key_id}, {@code secret_access_key}
   * or {@code api_key} written in the file but resolving to nothing (an unset {@code ${ENV}}).
   * An entry that names none uses the default chain and is never missing anything here.
   */
  static boolean credentialsUnset(ConfigNode p) {
    for (String key : new String[] {"access_key_id", "secret_access_key", "api_key"}) {
      if (p.has(key) && p.optionalSecret(key) == null) {
        return true;
      }
    }
    return false;
  }
}
