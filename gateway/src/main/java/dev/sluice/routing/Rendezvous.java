package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;

/**
 * Weighted rendezvous hashing (Schindelhauer and Schomaker's logarithmic method): each target
 * scores {@code -ln(u) / weight} with {@code u} uniform from the key and the target's label, and
 * targets are tried lowest score first. Over many keys a target is first with probability
 * weight / total, the same key always gives the same order, and adding or removing a target moves
 * only the keys that go to (or came from) it.
 */
final class Rendezvous {
  private Rendezvous() {}

  static List<Target> order(List<Target> eligible, StickyKey key) {
    if (eligible.size() <= 1) {
      return eligible;
    }
    Target[] targets = Ordering.toArray(eligible);
    double[] scores = new double[targets.length];
    for (int i = 0; i < targets.length; i++) {
      double u = key.unit(targets[i].label());
      // u may be 0: -ln(1 - u) is in (0, inf] then, never NaN
      scores[i] = -Math.log1p(-u) / Math.max(1, targets[i].weight());
    }
    Ordering.sortByKey(targets, scores, 0);
    return List.of(targets);
  }
}
