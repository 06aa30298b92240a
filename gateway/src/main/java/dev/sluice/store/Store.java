package dev.sluice.store;

import dev.sluice.store.audit.AuditLog;
import dev.sluice.store.requestlog.RequestLogStore;
import dev.sluice.store.stats.StatsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sluice's durable state: client keys, teams, the cost ledger, the request log and the admin audit
 * log, on SQLite (one replica, the embedded default) or PostgreSQL (shared by many replicas). The
 * schema is created and upgraded by Flyway migrations when the store opens.
 *
 * <p>Threading: every call returns a {@link Future} at once; the JDBC work runs on the store's own
 * worker pool ({@code sluice-store-N} threads), never on an event loop (the JDBC layer refuses to
 * run on one). Callbacks run on the caller's Vert.x context. Thread-safe.
 *
 * <p>Lifecycle: {@link #open} migrates then opens a small fixed set of connections;
 * {@link #close} waits for calls in flight, then closes them. Calls after close fail.
 *
 * <p>Engines. SQLite ({@code sqlite:PATH}): WAL journal, {@code synchronous=NORMAL},
 * {@code busy_timeout}; one writer connection (writes are serialized through it) and a few reader
 * connections (readers never block the writer in WAL mode). PostgreSQL
 * ({@code postgresql://user:pass@host:port/db}): a fixed pool of connections, each used by one
 * call at a time; a connection that broke is replaced on its next use.
 */
public interface Store {

  /**
   * Opens the store at {@code url}: {@code sqlite:./path/sluice.db} (the file and its folder are
   * created) or {@code postgresql://user:pass@host:port/db[?param=value…]} (user and password
   * percent-encoded; query parameters pass to the JDBC driver; {@code postgres://} also works).
   * Runs the migrations before it completes; fails if the URL is malformed, the engine cannot be
   * reached, or a migration fails.
   */
  static Future<Store> open(Vertx vertx, String url) {
    return open(vertx, url, StoreOptions.defaults());
  }

  /** As {@link #open(Vertx, String)}; a malformed URL fails the future with an {@link IllegalArgumentException}. */
  static Future<Store> open(Vertx vertx, String url, StoreOptions options) {
    StoreUrl parsed;
    try {
      parsed = StoreUrl.parse(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return JdbcStore.open(vertx, parsed, options);
  }

  KeyRepository keys();

  TeamRepository teams();

  LedgerStore ledger();

  /** One row per client request, with its stored bodies; read by the admin and tenant APIs. */
  RequestLogStore requests();

  /** Where the batch writer inserts ledger and request rows together. */
  BatchStore batches();

  /** Per-minute stats rollups (latency, TTFT and overhead histograms, counts, tokens, cost) of every replica. */
  StatsStore stats();

  /** Shadow pairs: a primary answer and a shadow candidate's answer to a copy of the request, compared. */
  ShadowPairStore shadowPairs();

  /** Which client key created each response OpenAI stores for a passed-through {@code /v1/responses} request. */
  StoredResponseStore storedResponses();

  /** The admin audit log: one entry per admin write, written ahead of the write. */
  AuditLog audit();

  /** Canary states of the model entries (one row each), kept across restarts. */
  CanaryStateStore canaries();

  /** Closes the connections and the worker pool once calls in flight are done. Idempotent. */
  Future<Void> close();
}
