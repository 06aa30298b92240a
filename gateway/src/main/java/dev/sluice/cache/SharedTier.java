package dev.sluice.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;

/**
 * The answers replicas share, in Redis: {@code GET} and {@code SET ... PX} through the gateway's
 * pooled async client, so nothing ever waits on Redis on an event loop. A command that fails or
 * takes longer than the timeout is a miss (or a store not made): the cache is an optimisation and
 * Redis trouble must never fail a request. Thread-safe.
 */
final class SharedTier {
  private static final String PREFIX = "sluice:rc:";

  private final Redis redis;
  private final long timeoutMillis;

  SharedTier(Redis redis, long timeoutMillis) {
    this.redis = redis;
    this.timeoutMillis = timeoutMillis;
  }

  /** The stored bytes, or null when there are none (or Redis could not say in time). */
  Future<byte[]> get(String key) {
    return redis.send(Request.cmd(Command.GET).arg(PREFIX + key)).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .transform(ar -> {
          Response r = ar.succeeded() ? ar.result() : null;
          return Future.succeededFuture(r == null ? null : r.toBuffer().getBytes());
        });
  }

  /** Stores {@code bytes} for {@code ttlMillis}; true when Redis took it. */
  Future<Boolean> put(String key, byte[] bytes, long ttlMillis) {
    return redis.send(Request.cmd(Command.SET).arg(PREFIX + key).arg(Buffer.buffer(bytes)).arg("PX")
            .arg(Math.max(1, ttlMillis)))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .transform(ar -> Future.succeededFuture(ar.succeeded()));
  }
}
