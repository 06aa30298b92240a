package dev.sluice.server;

import dev.sluice.config.ProviderConfig;
import dev.sluice.core.Ticker;
import dev.sluice.mock.MockUpstream;
import dev.sluice.mock.MockUpstreamOptions;
import dev.sluice.pipeline.ProviderRuntime;
import dev.sluice.provider.EmbeddingsAdapter;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.anthropic.AnthropicOptions;
import dev.sluice.provider.azure.AzureOpenAiAdapter;
import dev.sluice.provider.gemini.GeminiAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.upstream.UpstreamClient;
import dev.sluice.upstream.UpstreamEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns a provider's config into a {@link ProviderRuntime}: its wire format (adapter), its connection
 * pools, and how each call is authenticated (a fixed key, SigV4, or a fetched Google token). Used at
 * start and by a config reload for new or changed providers. The built-in mock upstreams it starts
 * live until {@link #closeMocks()}.
 */
final class ProviderStarts {
  private final Vertx vertx;
  private final Ticker ticker;
  /** Connection pools are split per event loop: one per front verticle. */
  private final int eventLoops;
  private final List<MockUpstream> mocks = new CopyOnWriteArrayList<>();

  ProviderStarts(Vertx vertx, Ticker ticker, int eventLoops) {
    this.vertx = vertx;
    this.ticker = ticker;
    this.eventLoops = eventLoops;
  }

  /** The provider {@code p}, ready to call (its credentials fetched first where it has any). */
  Future<ProviderRuntime> start(ProviderConfig p) {
    return switch (p.type()) {
      case OPENAI -> Future.succeededFuture(runtime(p, p.baseUrl(), OpenAiAdapter.official(), OpenAiAdapter.official()));
      case OPENAI_COMPATIBLE -> Future.succeededFuture(runtime(p, p.baseUrl(), OpenAiAdapter.compatible(p.baseUrl()),
          OpenAiAdapter.compatible(p.baseUrl())));
      case AZURE_OPENAI -> {
        AzureOpenAiAdapter azure = new AzureOpenAiAdapter(p.apiVersion());
        yield Future.succeededFuture(runtime(p, p.baseUrl(), azure, azure));
      }
      case ANTHROPIC -> Future.succeededFuture(runtime(p, p.baseUrl(),
          AnthropicAdapter.create(AnthropicOptions.defaults().withVersion(p.apiVersion())), null));
      case GEMINI -> {
        GeminiAdapter gemini = new GeminiAdapter();
        yield Future.succeededFuture(runtime(p, p.baseUrl(), gemini, gemini));
      }
      case BEDROCK -> bedrock(p);
      case VERTEX -> VertexSetup.credentials(vertx, p, ticker).map(tokens -> runtime(p, p.baseUrl(),
          VertexSetup.adapter(p), null, tokens));
      case MOCK -> MockUpstream.start(vertx, MockUpstreamOptions.builder().defaultFault(p.fault()).build())
          .map(mock -> {
            mocks.add(mock);
            return runtime(p, mock.baseUrl() + "/v1", OpenAiAdapter.instance(), OpenAiAdapter.instance());
          });
    };
  }

  private ProviderRuntime runtime(ProviderConfig p, String baseUrl, ProviderAdapter adapter,
      EmbeddingsAdapter embeddings) {
    return runtime(p, baseUrl, adapter, embeddings, (dev.sluice.upstream.RequestSigner) null);
  }

  private ProviderRuntime runtime(ProviderConfig p, String baseUrl, ProviderAdapter adapter,
      EmbeddingsAdapter embeddings, dev.sluice.upstream.RequestSigner signer) {
    return new ProviderRuntime(p.name(), adapter, embeddings,
        new UpstreamClient(vertx, endpoint(p, baseUrl, adapter), eventLoops, signer), TracingSetup.peer(p, baseUrl));
  }

  /** Bedrock: a Bedrock API key as a bearer token, else SigV4 with credentials fetched ahead, on workers. */
  private Future<ProviderRuntime> bedrock(ProviderConfig p) {
    dev.sluice.provider.bedrock.BedrockAdapter adapter = new dev.sluice.provider.bedrock.BedrockAdapter();
    if (p.apiKey() != null) {
      return Future.succeededFuture(runtime(p, p.baseUrl(), adapter, null));
    }
    dev.sluice.config.AwsSettings aws = p.aws();
    dev.sluice.upstream.aws.AwsCredentialsSource credentials = aws.explicitKeys()
        ? dev.sluice.upstream.aws.AwsCredentialsSource.fixed(p.name(), aws.accessKeyId(), aws.secretAccessKey(),
            aws.sessionToken())
        : dev.sluice.upstream.aws.AwsCredentialsSource.defaultChain(p.name(), vertx);
    return credentials.start().map(v -> runtime(p, p.baseUrl(), adapter, null,
        new dev.sluice.upstream.aws.AwsRequestSigner(credentials, "bedrock", aws.region(), java.time.Clock.systemUTC())));
  }

  /** @param credentials what the client adds to each call besides the fixed key (null: nothing) */
  private ProviderRuntime runtime(ProviderConfig p, String baseUrl, ProviderAdapter adapter,
      EmbeddingsAdapter embeddings, dev.sluice.upstream.UpstreamCredentials credentials) {
    return new ProviderRuntime(p.name(), adapter, embeddings,
        new UpstreamClient(vertx, endpoint(p, baseUrl, adapter), eventLoops, credentials),
        TracingSetup.peer(p, baseUrl));
  }

  private static UpstreamEndpoint endpoint(ProviderConfig p, String baseUrl, ProviderAdapter adapter) {
    return new UpstreamEndpoint(p.name(), baseUrl, p.apiKey(), adapter.auth(), p.headers(), p.timeouts(),
        p.maxConnections(), p.caFile());
  }

  Future<Void> closeMocks() {
    return Future.join(mocks.stream().map(MockUpstream::close).toList()).mapEmpty();
  }
}
