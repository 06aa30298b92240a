package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LimitsConfig;
import dev.sluice.tenancy.Principal;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyLoggingTest {
  private static Principal who(String name, String team) {
    return new Principal(name, null, team, "normal", false, LimitsConfig.NONE, null, List.of());
  }

  @Test
  void aKeysSettingWinsOverItsTeamsAndNothingIsCapturedByDefault() {
    BodyLogging logging = BodyLogging.from(new ConfigLoader(Map.<String, String>of()::get).parse("""
        providers: [ { name: up, type: mock } ]
        models: [ { name: m, targets: [ { provider: up, model: x } ] } ]
        teams:
          - { name: t, log_bodies: { max_bytes: 100 } }
          - { name: quiet, log_bodies: { enabled: false } }
        keys:
          - { key: sk-client-0001, name: own, log_bodies: { max_bytes: 10 } }
          - { key: sk-client-0002, name: muted, team: t, log_bodies: { enabled: false } }
          - { key: sk-client-0003, name: member, team: t }
          - { key: sk-client-0004, name: loud, team: quiet, log_bodies: { max_bytes: 20 } }
          - { key: sk-client-0005, name: plain }
        """, "test"));
    assertThat(logging.policyFor(who("own", null)).maxBytes()).isEqualTo(10);
    assertThat(logging.policyFor(who("muted", "t"))).isNull();
    assertThat(logging.policyFor(who("member", "t")).maxBytes()).isEqualTo(100);
    assertThat(logging.policyFor(who("loud", "quiet")).maxBytes()).isEqualTo(20);
    assertThat(logging.policyFor(who("plain", null))).isNull();
    assertThat(logging.policyFor(who("stored-key", "t")).maxBytes()).as("a stored key of team t").isEqualTo(100);
    assertThat(logging.policyFor(null)).isNull();
    assertThat(logging.start(who("plain", null), Buffer.buffer("{}"))).isNull();
    assertThat(logging.start(who("member", "t"), Buffer.buffer("{}"))).isNotNull();
  }
}
