package dev.sluice.config;

/**
 * The Google Cloud side of a {@code type: vertex} provider.
 *
 * @param project the project id calls are billed to
 * @param location a region ({@code us-central1}) or {@code global}
 * @param credentialsFile a service-account or authorized-user JSON file; null: Application Default
 *     Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, the metadata server)
 */
public record VertexConfig(String project, String location, String credentialsFile) {}
