package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Target is a class (for its precomputed label) that must keep a record's value semantics. */
class TargetTest {
  @Test
  void labelIsProviderSlashModelAndComputedOnce() {
    Target t = new Target("openai", "gpt-4o", 2);
    assertThat(t.label()).isEqualTo("openai/gpt-4o").isSameAs(t.label());
  }

  @Test
  void equalityAndHashAreByValue() {
    Target a = new Target("p", "m", 1, 0, Set.of(Feature.VISION));
    Target b = new Target("p", "m", 1, 0, Set.of(Feature.VISION));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Target("p", "m", 2, 0, Set.of(Feature.VISION)));
    assertThat(a).isNotEqualTo(new Target("p", "m", 1, 0, Set.of()));
    assertThat(a).isNotEqualTo(new Target("p", "m", 1, 0, Set.of(Feature.VISION), true));
    assertThat(a.toString())
        .isEqualTo("Target[provider=p, model=m, weight=1, defaultMaxTokens=0, disabled=[VISION], autoCache=false]");
  }
}
