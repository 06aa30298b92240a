package dev.sluice.server;

import dev.sluice.config.ProviderConfig;
import dev.sluice.core.Ticker;
import dev.sluice.provider.vertex.VertexAdapter;
import dev.sluice.upstream.google.ApplicationDefaultCredentials;
import dev.sluice.upstream.google.GoogleTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Wires a {@code type: vertex} provider: its adapter and its Google token, kept fresh in the background. */
final class VertexSetup {
  /** How often the token's refresh point is checked (real time; the refresh point itself is on the ticker). */
  private static final long CHECK_MS = 1_000;

  private VertexSetup() {}

  static VertexAdapter adapter(ProviderConfig p) {
    return new VertexAdapter(p.vertex().project(), p.vertex().location(), Clock.systemUTC());
  }

  /**
   * Application Default Credentials; the metadata server is {@code GCE_METADATA_HOST} when set (as for
   * Google's own client libraries), else {@code metadata.google.internal}.
   */
  static Future<GoogleTokens> credentials(Vertx vertx, ProviderConfig p, Ticker ticker) {
    String metadataHost = System.getenv("GCE_METADATA_HOST");
    String metadataUrl = metadataHost == null || metadataHost.isBlank()
        ? ApplicationDefaultCredentials.METADATA_URL : "http://" + metadataHost;
    return GoogleTokens.start(vertx, p.name(), p.vertex().credentialsFile(), System::getenv, metadataUrl, ticker,
        Clock.systemUTC(), CHECK_MS);
  }
}
