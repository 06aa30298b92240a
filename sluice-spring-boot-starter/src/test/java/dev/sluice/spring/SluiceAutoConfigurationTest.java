package dev.sluice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embed.Sluice;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the starter starts nothing, and the clear failures of a missing or doubled config. */
class SluiceAutoConfigurationTest {
  private final ApplicationContextRunner contexts = new ApplicationContextRunner()
      .withInitializer(new SluiceBaseUrlInitializer())
      .withUserConfiguration(SluiceAutoConfiguration.class);

  @Test
  void disabledStartsNoGatewayAndHasNoBaseUrl() {
    contexts.withPropertyValues("sluice.enabled=false", "sluice.config-yaml=not: read").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(Sluice.class);
      assertThat(context.getEnvironment().getProperty("sluice.base-url")).isNull();
    });
  }

  @Test
  void withoutAConfigTheContextFailsSayingWhatToSet() {
    contexts.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
        .hasMessageContaining("set sluice.config (a file) or sluice.config-yaml (inline)"));
  }

  @Test
  void bothAFileAndInlineYamlIsRefused() {
    contexts.withPropertyValues("sluice.config=sluice.yaml", "sluice.config-yaml=server: {}").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("sluice.config and sluice.config-yaml are both set"));
  }

  @Test
  void aBadInlineConfigFailsTheContextWithSluicesProblems() {
    contexts.withPropertyValues("sluice.config-yaml=server: { colour: blue }").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("(in-memory config)").hasMessageContaining("colour"));
  }
}
