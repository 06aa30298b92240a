package dev.sluice.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Budget;
import dev.sluice.store.KeyHashes;
import dev.sluice.store.KeyRepository;
import dev.sluice.store.KeyUpdate;
import dev.sluice.store.NewKey;
import dev.sluice.store.StoredKey;
import dev.sluice.testing.FakeTicker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String PLAIN = "sk-sluice-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String HASH = KeyHashes.sha256Hex(PLAIN);

  private final CountingKeys repo = new CountingKeys();
  private final FakeTicker ticker = new FakeTicker();
  private final MutableClock clock = new MutableClock(T0);
  private final KeyCache cache = new KeyCache(repo, KeyCache.Options.DEFAULTS, ticker, clock);

  @Test
  void aFoundKeyIsAskedForOnceThenServedFromMemory() {
    repo.put(key(PLAIN).team("search").limitsJson("{\"rpm\":60,\"priority\":\"low\"}")
        .budget(new Budget(5_000_000, Budget.Period.DAILY, Budget.Mode.HARD)).models(List.of("chat")).build());

    AuthResult first = cache.lookup(HASH).result();
    for (int i = 0; i < 100; i++) {
      assertThat(cache.lookup(HASH).result()).isSameAs(first);
    }

    assertThat(repo.calls(HASH)).isEqualTo(1);
    assertThat(cache.hits.sum()).isEqualTo(100);
    Principal p = first.principal();
    assertThat(p.name()).isEqualTo("app");
    assertThat(p.keyId()).isEqualTo("key_1");
    assertThat(p.team()).isEqualTo("search");
    assertThat(p.limits().rpm()).isEqualTo(60);
    assertThat(p.priority()).isEqualTo("low");
    assertThat(p.budget().usd()).isEqualByComparingTo("5");
    assertThat(p.budget().period()).isEqualTo("daily");
    assertThat(p.budget().hard()).isTrue();
    assertThat(p.mayCall("chat")).isTrue();
    assertThat(p.mayCall("other")).isFalse();
  }

  @Test
  void aCachedHitIsAlreadyCompleteAndAllocatesNoNewFuture() {
    repo.put(key(PLAIN).build());
    Future<AuthResult> first = cache.lookup(HASH);
    assertThat(first.isComplete()).isTrue(); // the fake store answers at once
    Future<AuthResult> second = cache.lookup(HASH);
    assertThat(second.isComplete()).isTrue();
    assertThat(cache.lookup(HASH)).isSameAs(second);
  }

  @Test
  void concurrentMissesForOneKeyShareOneStoreLookup() {
    repo.put(key(PLAIN).build());
    repo.hold();
    List<Future<AuthResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiting.add(cache.lookup(HASH));
    }
    assertThat(waiting).noneMatch(Future::isComplete);
    repo.release();
    assertThat(waiting).allMatch(f -> f.isComplete() && f.result().accepted());
    assertThat(repo.calls(HASH)).isEqualTo(1);
  }

  @Test
  void anUnknownKeyIsRememberedBrieflyThenAskedForAgain() {
    String unknown = KeyHashes.sha256Hex("sk-sluice-nope-nope-nope-nope-nope");
    for (int i = 0; i < 50; i++) {
      assertThat(cache.lookup(unknown).result()).isSameAs(AuthResult.UNKNOWN);
    }
    assertThat(repo.calls(unknown)).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(5));
    assertThat(cache.lookup(unknown).result()).isSameAs(AuthResult.UNKNOWN);
    assertThat(repo.calls(unknown)).isEqualTo(2);
  }

  @Test
  void aKeyCreatedAfterAMissIsFoundOnceTheNegativeEntryIsInvalidated() {
    assertThat(cache.lookup(HASH).result()).isSameAs(AuthResult.UNKNOWN);
    repo.put(key(PLAIN).build());
    cache.invalidate(HASH);
    assertThat(cache.lookup(HASH).result().accepted()).isTrue();
  }

  @Test
  void aFoundKeyIsKeptForTheTtlThenReloaded() {
    repo.put(key(PLAIN).build());
    cache.lookup(HASH);
    ticker.advance(Duration.ofMinutes(9));
    cache.lookup(HASH);
    assertThat(repo.calls(HASH)).isEqualTo(1);
    ticker.advance(Duration.ofMinutes(1));
    cache.lookup(HASH);
    assertThat(repo.calls(HASH)).isEqualTo(2);
  }

  @Test
  void aCachedKeyStopsWorkingAtItsExpiryWithoutAskingTheStore() {
    repo.put(key(PLAIN).expiresAt(T0.plusSeconds(60)).build());
    assertThat(cache.lookup(HASH).result().accepted()).isTrue();

    clock.set(T0.plusSeconds(59));
    assertThat(cache.lookup(HASH).result().accepted()).isTrue();
    clock.set(T0.plusSeconds(60));
    assertThat(cache.lookup(HASH).result()).isSameAs(AuthResult.EXPIRED);
    assertThat(repo.calls(HASH)).isEqualTo(1);
  }

  @Test
  void aRevokedKeyIsRefusedOnceTheCacheForgetsIt() {
    repo.put(key(PLAIN).build());
    assertThat(cache.lookup(HASH).result().accepted()).isTrue();

    repo.revokeNow("key_1", T0);
    assertThat(cache.lookup(HASH).result().accepted()).as("still cached").isTrue();
    cache.invalidate(HASH);
    assertThat(cache.lookup(HASH).result()).isSameAs(AuthResult.REVOKED);
  }

  @Test
  void aStoreFailureIsAnsweredUnavailableAndNotRemembered() {
    repo.put(key(PLAIN).build());
    repo.failNext();
    assertThat(cache.lookup(HASH).result()).isSameAs(AuthResult.UNAVAILABLE);
    assertThat(cache.failed.sum()).isEqualTo(1);
    assertThat(cache.lookup(HASH).result().accepted()).isTrue();
    assertThat(repo.calls(HASH)).isEqualTo(2);
  }

  @Test
  void tooManyLookupsInFlightAnswerBusyWithoutAskingTheStore() {
    KeyCache small = new KeyCache(repo, new KeyCache.Options(Duration.ofMinutes(10), Duration.ofSeconds(5), 1000, 2),
        ticker, clock);
    repo.hold();
    small.lookup(KeyHashes.sha256Hex("sk-sluice-a"));
    small.lookup(KeyHashes.sha256Hex("sk-sluice-b"));
    assertThat(small.lookup(KeyHashes.sha256Hex("sk-sluice-c")).result()).isSameAs(AuthResult.BUSY);
    assertThat(repo.totalCalls()).isEqualTo(2);
    repo.release();
    assertThat(small.lookup(KeyHashes.sha256Hex("sk-sluice-c")).result()).isSameAs(AuthResult.UNKNOWN);
  }

  @Test
  void anEmptyModelAllowListAllowsNothing() {
    repo.put(key(PLAIN).models(List.of()).build());
    Principal p = cache.lookup(HASH).result().principal();
    assertThat(p.mayCall("chat")).isFalse();
    assertThat(p.mayCall("")).isFalse();
  }

  private static NewKey.Builder key(String plain) {
    return NewKey.fromPlainKey("key_1", plain, "app", T0);
  }

  /** A key repository in memory that counts findByHash calls and can hold or fail them. */
  static final class CountingKeys implements KeyRepository {
    private final Map<String, StoredKey> byHash = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private boolean failNext;

    void put(NewKey k) {
      byHash.put(k.keyHash(), new StoredKey(k.id(), k.keyHash(), k.keyPrefix(), k.name(), k.team(), k.models(),
          k.limitsJson(), k.budget(), k.metadataJson(), k.expiresAt(), null, k.createdAt()));
    }

    void revokeNow(String id, Instant at) {
      byHash.replaceAll((h, k) -> k.id().equals(id) ? new StoredKey(k.id(), k.keyHash(), k.keyPrefix(), k.name(),
          k.team(), k.models(), k.limitsJson(), k.budget(), k.metadataJson(), k.expiresAt(), at, k.createdAt()) : k);
    }

    void hold() {
      holding = true;
    }

    void release() {
      holding = false;
      List<Runnable> run = new ArrayList<>(held);
      held.clear();
      run.forEach(Runnable::run);
    }

    void failNext() {
      failNext = true;
    }

    int calls(String hash) {
      return calls.getOrDefault(hash, new AtomicInteger()).get();
    }

    int totalCalls() {
      return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public Future<Optional<StoredKey>> findByHash(String keyHash) {
      calls.computeIfAbsent(keyHash, h -> new AtomicInteger()).incrementAndGet();
      if (failNext) {
        failNext = false;
        return Future.failedFuture(new IllegalStateException("store down"));
      }
      Optional<StoredKey> answer = Optional.ofNullable(byHash.get(keyHash));
      if (!holding) {
        return Future.succeededFuture(answer);
      }
      Promise<Optional<StoredKey>> p = Promise.promise();
      held.add(() -> p.complete(answer));
      return p.future();
    }

    @Override
    public Future<StoredKey> insert(NewKey key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<StoredKey>> findById(String id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<StoredKey>> list(String teamOrNull) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> revoke(String id, Instant at) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> update(String id, KeyUpdate update) {
      throw new UnsupportedOperationException();
    }
  }

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
