package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model entry's {@code cache:}: off by default, {@code true} for the defaults, every key checked. */
class CacheConfigTest {
  private static SluiceConfig parse(String cache) {
    return new ConfigLoader(Map.<String, String>of()::get).parse("""
        providers: [ { name: up, type: openai-compatible, base_url: "http://127.0.0.1:1/v1" } ]
        models:
          - name: chat
            targets: [ { provider: up, model: m } ]
        %s
        """.formatted(cache.isEmpty() ? "" : "    cache: " + cache), "test");
  }

  private static CacheConfig cacheOf(String cache) {
    return parse(cache).models().get(0).cache();
  }

  @Test
  void offUnlessConfiguredAndTrueGivesTheDefaults() {
    assertThat(cacheOf("")).isNull();
    assertThat(cacheOf("false")).isNull();
    assertThat(cacheOf("true")).isEqualTo(CacheConfig.defaults());
    CacheConfig d = cacheOf("{}");
    assertThat(d.ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(d.maxEntryBytes()).isEqualTo(1L << 20);
    assertThat(d.scope()).isEqualTo("team");
    assertThat(d.nondeterministic()).isFalse();
    assertThat(d.coalesce()).isFalse();
  }

  @Test
  void everyKeyIsRead() {
    CacheConfig c = cacheOf("{ ttl: 10m, max_entry_bytes: 256KB, max_bytes: 1GB, nondeterministic: true, scope: global,"
        + " coalesce: true, coalesce_wait: 5s }");
    assertThat(c).isEqualTo(new CacheConfig(Duration.ofMinutes(10), 256L << 10, 1L << 30, true, "global", true,
        Duration.ofSeconds(5)));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> parse("{ scope: tenant }")).hasMessageContaining("models[0].cache.scope")
        .hasMessageContaining("key, team or global");
    assertThatThrownBy(() -> parse("{ max_entry_bytes: lots }")).hasMessageContaining("models[0].cache.max_entry_bytes");
    assertThatThrownBy(() -> parse("{ ttl: 500ms }")).hasMessageContaining("models[0].cache.ttl");
    assertThatThrownBy(() -> parse("{ tll: 1h }")).hasMessageContaining("models[0].cache.tll: unknown key");
    assertThatThrownBy(() -> parse("maybe")).hasMessageContaining("models[0].cache");
  }
}
