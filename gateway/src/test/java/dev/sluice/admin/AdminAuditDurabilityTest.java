package dev.sluice.admin;

import static dev.sluice.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.extension.GatewayView;
import dev.sluice.store.BatchStore;
import dev.sluice.store.KeyRepository;
import dev.sluice.store.LedgerStore;
import dev.sluice.store.Store;
import dev.sluice.store.TeamRepository;
import dev.sluice.store.audit.AuditEntry;
import dev.sluice.store.audit.AuditLog;
import dev.sluice.store.audit.AuditPage;
import dev.sluice.store.audit.AuditQuery;
import dev.sluice.store.requestlog.RequestLogStore;
import dev.sluice.store.stats.StatsStore;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An admin write's answer leaves only after its audit entry is complete: the admin routes see a
 * store whose audit log holds each {@code complete} at a gate the test opens, and the answer must
 * not arrive while the gate is shut.
 */
class AdminAuditDurabilityTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private final Promise<Void> completing = Promise.promise();
  private final Promise<Void> gate = Promise.promise();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    AdminRoutes admin = new AdminRoutes(Clock.systemUTC(), new SecureRandom());
    gateway = TestGateway.startWithAdmin(KeysApi.config(upstream.baseUrl(), ""),
        (router, view) -> admin.mount(router, gated(view)));
  }

  @AfterEach
  void stop() throws Exception {
    gate.tryComplete();
    gateway.close();
  }

  @Test
  void theAnswerWaitsUntilTheEntryIsComplete() throws Exception {
    CompletableFuture<HttpResponse<String>> answer = gateway.http().sendAsync(HttpRequest.newBuilder(
            URI.create(gateway.url("/admin/keys"))).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + KeysApi.MASTER).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"app\"}")).build(), HttpResponse.BodyHandlers.ofString());
    await(completing.future()); // the key exists; its entry is being completed

    List<AuditEntry> entries = await(gateway.gateway().store().audit().list(AuditQuery.newest(10))).entries();
    assertThat(entries).as("written ahead, not complete yet").singleElement()
        .satisfies(e -> assertThat(e.isComplete()).isFalse());
    assertThat(await(gateway.gateway().store().keys().list(null))).as("the write went through").hasSize(1);
    // A correct gateway never answers while the gate is shut; this bound only limits how long we look.
    assertThatThrownBy(() -> answer.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

    gate.complete();
    HttpResponse<String> res = answer.get(30, TimeUnit.SECONDS);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(await(gateway.gateway().store().audit().list(AuditQuery.newest(10))).entries()).singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(201));
  }

  /** The gateway as the admin routes see it, but with an audit log whose completions wait at the gate. */
  private GatewayView gated(GatewayView view) {
    AuditLog real = view.store().audit();
    AuditLog held = new AuditLog() {
      @Override
      public Future<Void> insert(AuditEntry entry) {
        return real.insert(entry);
      }

      @Override
      public Future<Boolean> complete(AuditEntry done) {
        completing.tryComplete();
        return gate.future().compose(v -> real.complete(done));
      }

      @Override
      public Future<AuditPage> list(AuditQuery query) {
        return real.list(query);
      }

      @Override
      public Future<Integer> deleteBefore(Instant cutoff, int max) {
        return real.deleteBefore(cutoff, max);
      }
    };
    Store store = view.store();
    Store heldStore = new Store() {
      @Override
      public KeyRepository keys() {
        return store.keys();
      }

      @Override
      public TeamRepository teams() {
        return store.teams();
      }

      @Override
      public LedgerStore ledger() {
        return store.ledger();
      }

      @Override
      public RequestLogStore requests() {
        return store.requests();
      }

      @Override
      public BatchStore batches() {
        return store.batches();
      }

      @Override
      public StatsStore stats() {
        return store.stats();
      }

      @Override
      public dev.sluice.store.CanaryStateStore canaries() {
        return store.canaries();
      }

      @Override
      public dev.sluice.store.ShadowPairStore shadowPairs() {
        return store.shadowPairs();
      }

      @Override
      public dev.sluice.store.StoredResponseStore storedResponses() {
        return store.storedResponses();
      }

      @Override
      public AuditLog audit() {
        return held;
      }

      @Override
      public Future<Void> close() {
        return store.close();
      }
    };
    return new GatewayView() {
      @Override
      public Map<String, String> breakerStates() {
        return view.breakerStates();
      }

      @Override
      public com.fasterxml.jackson.databind.node.ObjectNode configReport() {
        return view.configReport();
      }

      @Override
      public java.util.List<dev.sluice.core.Target> modelTargets(String model) {
        return view.modelTargets(model);
      }

      @Override
      public java.util.OptionalLong costMicros(dev.sluice.core.Target target, dev.sluice.core.TokenUsage usage) {
        return view.costMicros(target, usage);
      }

      @Override
      public dev.sluice.extension.ProviderStatus.Report providers() {
        return view.providers();
      }

      @Override
      public boolean isMasterKey(String presented) {
        return view.isMasterKey(presented);
      }

      @Override
      public boolean hasMasterKey() {
        return view.hasMasterKey();
      }

      @Override
      public Store store() {
        return heldStore;
      }

      @Override
      public String outboundRefusal(String url) {
        return view.outboundRefusal(url);
      }

      @Override
      public Future<Void> keyChanged(String keyHash) {
        return view.keyChanged(keyHash);
      }
    };
  }
}
