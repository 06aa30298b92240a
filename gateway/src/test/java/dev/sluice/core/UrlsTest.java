package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {
  @Test
  void redactedHidesThePasswordAndQueryValuesOfAnyUrl() {
    assertThat(Urls.redacted("postgresql://sluice:p%40ss@db:5432/sluice?sslmode=require&password=x"))
        .isEqualTo("postgresql://sluice:***@db:5432/sluice?sslmode=***&password=***");
    assertThat(Urls.redacted("redis://:secret@redis:6379")).isEqualTo("redis://:***@redis:6379");
    assertThat(Urls.redacted("mysql://root:pw@db/x")).isEqualTo("mysql://root:***@db/x");
    assertThat(Urls.redacted("https://api.openai.com/v1")).isEqualTo("https://api.openai.com/v1");
    assertThat(Urls.redacted("https://user@host:8080/v1")).isEqualTo("https://user@host:8080/v1");
    assertThat(Urls.redacted(null)).isNull();
  }

  @Test
  void secretsOfAreWhatRedactedHides() {
    assertThat(Urls.secretsOf("https://u:p%2Bw@host/v1?key=abc&x=1")).containsExactly("p%2Bw", "p+w", "abc", "1");
    assertThat(Urls.secretsOf("https://api.openai.com/v1")).isEmpty();
  }

  @Test
  void formEncodeWritesWhatUrlEncoderWrites() {
    for (String text : java.util.List.of("sk-abc_1.2*3", "a+b/c=d e", "ünï👋", "%41&x")) {
      assertThat(Urls.formEncode(text)).isEqualTo(java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void originKeepsOnlySchemeHostAndPort() {
    assertThat(Urls.origin("https://hooks.slack.com/services/T0/B0/XXXX")).isEqualTo("https://hooks.slack.com");
    assertThat(Urls.origin("http://127.0.0.1:9000/hook?token=1")).isEqualTo("http://127.0.0.1:9000");
    assertThat(Urls.origin("https://user:pw@host/x")).isEqualTo("https://host");
    assertThat(Urls.origin("not a url")).isEqualTo("(a malformed URL)");
  }
}
