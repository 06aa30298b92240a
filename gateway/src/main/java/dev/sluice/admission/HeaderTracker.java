package dev.sluice.admission;

import java.util.Optional;

/**
 * Picks the tightest scope per dimension for the {@code x-ratelimit-*} headers: least remaining,
 * ties to the smaller limit. Not thread-safe; one per reserve call.
 *
 * <p>Scopes are compared on their limit and remaining count alone; the {@link RateLimitHeaders.Quota}
 * (and its reset {@code Duration}) is made once per dimension, for the winner, when the headers are
 * built, not for every scope of every request.
 */
final class HeaderTracker {
  private final Tightest requests = new Tightest();
  private final Tightest tokens = new Tightest();

  void requests(long limit, double level) {
    requests.offer(limit, level);
  }

  void tokens(long limit, double level) {
    tokens.offer(limit, level);
  }

  void requests(RateLimitHeaders.Quota q) {
    requests.offer(q);
  }

  void tokens(RateLimitHeaders.Quota q) {
    tokens.offer(q);
  }

  RateLimitHeaders build() {
    return requests.empty() && tokens.empty() ? RateLimitHeaders.NONE
        : new RateLimitHeaders(Optional.ofNullable(requests.quota()), Optional.ofNullable(tokens.quota()));
  }

  /** The tightest scope of one dimension seen so far: a bucket level, or a quota given whole. */
  private static final class Tightest {
    private boolean seen;
    private long limit;
    private long remaining;
    private double level;
    /** Non-null when the tightest one was given as a quota. */
    private RateLimitHeaders.Quota given;

    void offer(long limit, double level) {
      long remaining = Bucket.remaining(level, limit);
      if (tighter(limit, remaining)) {
        set(limit, remaining);
        this.level = level;
        this.given = null;
      }
    }

    void offer(RateLimitHeaders.Quota q) {
      if (tighter(q.limit(), q.remaining())) {
        set(q.limit(), q.remaining());
        this.given = q;
      }
    }

    /** As before: the first one wins; then less remaining, and on a tie the smaller limit. */
    private boolean tighter(long limit, long remaining) {
      if (!seen) {
        return true;
      }
      return remaining != this.remaining ? remaining < this.remaining : limit < this.limit;
    }

    private void set(long limit, long remaining) {
      this.seen = true;
      this.limit = limit;
      this.remaining = remaining;
    }

    boolean empty() {
      return !seen;
    }

    RateLimitHeaders.Quota quota() {
      if (!seen) {
        return null;
      }
      return given != null ? given : new RateLimitHeaders.Quota(limit, remaining, Bucket.timeToDrain(level, 0, limit));
    }
  }
}
