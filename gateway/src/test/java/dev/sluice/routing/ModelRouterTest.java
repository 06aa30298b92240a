package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelRouterTest {
  private final Target cheap = new Target("a", "small", 1);
  private final Target dear = new Target("b", "large", 1);
  private final RoutingSignals prices = new RoutingSignals() {
    @Override
    public double ewmaTtftNanos(Target t) {
      return 0;
    }

    @Override
    public int inFlight(Target t) {
      return 0;
    }

    @Override
    public double costPerMtok(Target t) {
      return t.equals(cheap) ? 1.0 : 10.0;
    }
  };
  private final ModelRouter router = new ModelRouter(
      List.of(new ModelEntry("chat", List.of(dear, cheap), ParamPolicy.DROP)), Set.of("a", "b"),
      RoutingPolicy.cost(), ParamPolicy.REJECT);

  @Test
  void routesWithTheSignalsGiven() {
    assertThat(router.route("chat", prices).orElseThrow().targets()).containsExactly(cheap, dear);
  }

  @Test
  void oneArgumentRouteUsesNoSignals() {
    assertThat(router.route("chat").orElseThrow().targets()).containsExactly(dear, cheap);
  }

  @Test
  void directProviderModelNamesAndUnknownNamesStillWork() {
    assertThat(router.route("a/anything", prices).orElseThrow().targets())
        .containsExactly(new Target("a", "anything", 1));
    assertThat(router.route("a/anything").orElseThrow().unsupportedParams()).isEqualTo(ParamPolicy.REJECT);
    assertThat(router.route("nope", prices)).isEmpty();
  }
}
