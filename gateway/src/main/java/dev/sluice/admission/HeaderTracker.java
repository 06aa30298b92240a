package dev.sluice.admission;

import java.util.Optional;

/**
 * Picks the tightest scope per dimension for the {@code x-ratelimit-*} headers: least remaining,
 * ties to the smaller limit. Not thread-safe; one per reserve call.
 */
final class HeaderTracker {
  private RateLimitHeaders.Quota requests;
  private RateLimitHeaders.Quota tokens;

  void requests(long limit, double level) {
    requests = tighter(requests, quota(limit, level));
  }

  void tokens(long limit, double level) {
    tokens = tighter(tokens, quota(limit, level));
  }

  void requests(RateLimitHeaders.Quota q) {
    requests = tighter(requests, q);
  }

  void tokens(RateLimitHeaders.Quota q) {
    tokens = tighter(tokens, q);
  }

  RateLimitHeaders build() {
    return requests == null && tokens == null ? RateLimitHeaders.NONE
        : new RateLimitHeaders(Optional.ofNullable(requests), Optional.ofNullable(tokens));
  }

  private static RateLimitHeaders.Quota quota(long limit, double level) {
    return new RateLimitHeaders.Quota(limit, Bucket.remaining(level, limit), Bucket.timeToDrain(level, 0, limit));
  }

  private static RateLimitHeaders.Quota tighter(RateLimitHeaders.Quota a, RateLimitHeaders.Quota b) {
    if (a == null) {
      return b;
    }
    if (b.remaining() != a.remaining()) {
      return b.remaining() < a.remaining() ? b : a;
    }
    return b.limit() < a.limit() ? b : a;
  }
}
