package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Sorting helpers for policies. Keys are read once into an array before sorting, because live
 * signals change under a comparator (which would break {@code List.sort}'s contract). Lists of
 * targets are short, so a stable insertion sort on parallel arrays is both simplest and fastest.
 */
final class Ordering {
  private Ordering() {}

  /** Stable sort of {@code targets[from..]} by {@code keys} ascending; NaN sorts last. */
  static void sortByKey(Target[] targets, double[] keys, int from) {
    for (int i = from + 1; i < targets.length; i++) {
      Target t = targets[i];
      double k = keys[i];
      int j = i - 1;
      while (j >= from && Double.compare(keys[j], k) > 0) {
        targets[j + 1] = targets[j];
        keys[j + 1] = keys[j];
        j--;
      }
      targets[j + 1] = t;
      keys[j + 1] = k;
    }
  }

  /** Fisher–Yates. */
  static void shuffle(Target[] targets, RandomGenerator rnd) {
    for (int i = targets.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Target tmp = targets[i];
      targets[i] = targets[j];
      targets[j] = tmp;
    }
  }

  static Target[] toArray(List<Target> targets) {
    return targets.toArray(new Target[0]);
  }
}
