package dev.sluice.upstream.google;

import dev.sluice.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Finds the credential Google's client libraries would use, in their order: an explicit file (the
 * provider's {@code credentials_file}), then {@code GOOGLE_APPLICATION_CREDENTIALS}, then gcloud's
 * {@code application_default_credentials.json} (under {@code CLOUDSDK_CONFIG}, else
 * {@code ~/.config/gcloud}, or {@code %APPDATA%\gcloud} on Windows), then the metadata server.
 * Reads files: call it off the event loop.
 */
public final class ApplicationDefaultCredentials {
  /** The metadata server every Google Cloud runtime offers. */
  public static final String METADATA_URL = "http://metadata.google.internal";

  private ApplicationDefaultCredentials() {}

  /**
   * @param explicitFile the configured file, or null
   * @param env the environment ({@code System::getenv} in production)
   * @param metadataUrl where the metadata server is ({@link #METADATA_URL} but in tests)
   * @throws IllegalArgumentException when a named file is missing or unreadable: a file someone named
   *     is never silently passed over for the next credential in the order
   */
  static GoogleCredential find(String explicitFile, Function<String, String> env, String metadataUrl) {
    if (explicitFile != null) {
      return read(Path.of(explicitFile), "credentials_file " + explicitFile);
    }
    String named = env.apply("GOOGLE_APPLICATION_CREDENTIALS");
    if (named != null && !named.isBlank()) {
      return read(Path.of(named), "GOOGLE_APPLICATION_CREDENTIALS=" + named);
    }
    Path gcloud = gcloudFile(env);
    if (gcloud != null && Files.isRegularFile(gcloud)) {
      return read(gcloud, gcloud.toString());
    }
    return new GoogleCredential.Metadata("no credentials file: neither credentials_file nor "
        + "GOOGLE_APPLICATION_CREDENTIALS is set, and " + (gcloud == null ? "gcloud's login file" : gcloud)
        + " does not exist", metadataUrl);
  }

  private static Path gcloudFile(Function<String, String> env) {
    String config = env.apply("CLOUDSDK_CONFIG");
    if (config != null && !config.isBlank()) {
      return Path.of(config, "application_default_credentials.json");
    }
    String appData = env.apply("APPDATA");
    if (System.getProperty("os.name", "").startsWith("Windows") && appData != null) {
      return Path.of(appData, "gcloud", "application_default_credentials.json");
    }
    String home = env.apply("HOME");
    return home == null ? null : Path.of(home, ".config", "gcloud", "application_default_credentials.json");
  }

  private static GoogleCredential read(Path file, String origin) {
    try {
      return GoogleCredential.parse(Json.parse(Files.readAllBytes(file)), origin);
    } catch (IOException e) {
      throw new IllegalArgumentException(origin + ": cannot read it as JSON (" + e.getClass().getSimpleName() + ")");
    }
  }
}
