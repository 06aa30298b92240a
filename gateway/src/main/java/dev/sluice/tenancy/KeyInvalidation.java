package dev.sluice.tenancy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every replica that a stored key changed, through Redis pub/sub on
 * {@value #CHANNEL}: the message is the key's SHA-256 (hex), never the key. Each replica drops that
 * key from its {@link KeyCache} when the message arrives (its own messages included).
 *
 * <p>The subscription lives on one dedicated connection. When it breaks, it is re-established
 * with backoff (250 ms doubling to 5 s); once subscribed again the whole cache is dropped
 * ({@code onResync}), because messages sent in between are lost. Until then a revocation made on
 * another replica takes effect here when the cached entry expires (the positive TTL). A publish
 * that fails is logged, not retried: the admin change is already stored.
 *
 * <p>Threading: callbacks run on the Vert.x context that {@link #start} was called on; thread-safe.
 */
final class KeyInvalidation {
  static final String CHANNEL = "sluice:keys:invalidate";
  private static final Logger LOG = LoggerFactory.getLogger(KeyInvalidation.class);
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 5_000;
  static final long PUBLISH_WAIT_MS = 1_000;
  private static final long START_WAIT_MS = 3_000;

  private final Vertx vertx;
  private final RedisOptions options;
  private final Redis publisher;
  private final Redis subscriber;
  private final Consumer<String> onKeyHash;
  private final Runnable onResync;
  private volatile boolean closed;
  private volatile RedisConnection subscription;
  private long backoffMs = MIN_BACKOFF_MS;
  private boolean everSubscribed;

  private KeyInvalidation(Vertx vertx, String redisUrl, Consumer<String> onKeyHash, Runnable onResync) {
    this.vertx = vertx;
    this.options = new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(4).setMaxPoolWaiting(1024);
    this.publisher = Redis.createClient(vertx, options);
    this.subscriber = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(2));
    this.onKeyHash = onKeyHash;
    this.onResync = onResync;
  }

  /**
   * Starts listening. The future completes once the first subscription attempt is over, whether it
   * worked or not, or after 3 s at most (a Redis that is down at start must not stop the gateway:
   * the subscription keeps being retried in the background).
   */
  static Future<KeyInvalidation> start(Vertx vertx, String redisUrl, Consumer<String> onKeyHash,
      Runnable onResync) {
    KeyInvalidation k = new KeyInvalidation(vertx, redisUrl, onKeyHash, onResync);
    // Bounded: a Redis that does not even refuse connections must not hold up the start.
    return k.subscribe().timeout(START_WAIT_MS, TimeUnit.MILLISECONDS).transform(ar -> Future.succeededFuture(k));
  }

  /**
   * Tells every replica (this one included) that the key with this hash changed. Never fails, and
   * waits at most {@value #PUBLISH_WAIT_MS} ms: an unreachable Redis must not hold up the admin call
   * whose change is already stored (other replicas then see it when their cached entry expires).
   */
  Future<Void> publish(String keyHash) {
    if (closed) {
      return Future.succeededFuture();
    }
    return publisher.send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(keyHash))
        .timeout(PUBLISH_WAIT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Could not publish a key invalidation through Redis ({}); other replicas see the change "
              + "when their cached entry expires", e.toString());
          return Future.succeededFuture();
        });
  }

  /** Whether the subscription is up right now. */
  boolean subscribed() {
    return subscription != null;
  }

  private Future<Void> subscribe() {
    Promise<Void> attempt = Promise.promise();
    subscriber.connect().compose(conn -> {
      if (closed) {
        return conn.close().compose(v -> Future.failedFuture("closed"));
      }
      conn.handler(this::onMessage);
      conn.exceptionHandler(e -> lost(conn, e));
      conn.endHandler(v -> lost(conn, null));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).map(r -> conn);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        subscription = ar.result();
        backoffMs = MIN_BACKOFF_MS;
        if (everSubscribed) {
          LOG.info("Key invalidation channel re-subscribed; dropping every cached key");
        }
        // Whatever was published while we were not listening is lost: start from the store again.
        onResync.run();
        everSubscribed = true;
        attempt.complete();
      } else {
        if (!closed) {
          LOG.warn("Could not subscribe to {} ({}); retrying in {} ms", CHANNEL, ar.cause().toString(), backoffMs);
          retryLater();
        }
        attempt.fail(ar.cause());
      }
    });
    return attempt.future();
  }

  private void lost(RedisConnection conn, Throwable cause) {
    if (subscription != conn) {
      return; // already handled (exception then end)
    }
    subscription = null;
    conn.close();
    if (!closed) {
      LOG.warn("Key invalidation subscription lost ({}); reconnecting", cause == null ? "closed" : cause.toString());
      retryLater();
    }
  }

  private void retryLater() {
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, id -> {
      if (!closed) {
        subscribe();
      }
    });
  }

  private void onMessage(Response r) {
    // RESP2: a multi-bulk ["message", channel, payload]; RESP3: a push of the same three.
    if (r != null && r.size() == 3 && "message".equals(r.get(0).toString()) && CHANNEL.equals(r.get(1).toString())) {
      onKeyHash.accept(r.get(2).toString());
    }
  }

  Future<Void> close() {
    closed = true;
    RedisConnection conn = subscription;
    subscription = null;
    publisher.close();
    Future<Void> done = conn == null ? Future.succeededFuture() : conn.close().recover(e -> Future.succeededFuture());
    return done.onComplete(v -> subscriber.close());
  }
}
