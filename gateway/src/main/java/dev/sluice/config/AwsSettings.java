package dev.sluice.config;

/**
 * How a {@code bedrock} provider reaches AWS: the region, and either explicit credentials or none
 * (then the SDK's default chain finds them: environment, profile, web identity, container, instance).
 *
 * @param accessKeyId null for the default chain
 * @param secretAccessKey never printed; set exactly when {@code accessKeyId} is
 * @param sessionToken temporary credentials' token; null when the keys are long-term
 */
public record AwsSettings(String region, String accessKeyId, String secretAccessKey, String sessionToken) {

  public boolean explicitKeys() {
    return accessKeyId != null;
  }

  /** Bedrock's runtime endpoint in {@code region}. */
  public String defaultBaseUrl() {
    return "https://bedrock-runtime." + region + ".amazonaws.com";
  }

  @Override
  public String toString() {
    return "AwsSettings[" + region + (explicitKeys() ? " explicit keys" : " default chain") + "]";
  }
}
