package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSecretsTest {
  private static final String AZURE = "0f8e2a6b9c4d41e7a3b5c6d7e8f90123";
  private static final String TOKEN = "tok+en/with=Symbols42";
  private final KnownSecrets secrets = KnownSecrets.of(Arrays.asList(AZURE, TOKEN, null, "short"));

  @Test
  void removesASecretAsWrittenUrlEncodedAndEscaped() {
    String text = "bad key " + AZURE + "; see ?key=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)
        + " and \"" + TOKEN.replace("/", "\\/") + "\"";
    String out = secrets.redact(text);
    assertThat(out).startsWith("bad key [redacted]; see ?key=").doesNotContain(AZURE)
        .doesNotContain(URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)).doesNotContain("Symbols42");
  }

  @Test
  void removesASecretInsideABase64BlobAtEveryAlignment() {
    for (String prefix : List.of("", "u", "us", "user:")) {
      String basic = Base64.getEncoder().encodeToString((prefix + AZURE + ":x").getBytes(StandardCharsets.UTF_8));
      String out = secrets.redact("Authorization: Basic " + basic);
      String core = Base64.getEncoder().encodeToString(AZURE.getBytes(StandardCharsets.UTF_8)).substring(4, 36);
      assertThat(out).as(prefix).contains("[redacted]");
      assertThat(Base64.getDecoder().decode(basic)).asString().contains(AZURE);
      assertThat(out).doesNotContain(basic).doesNotContain(core);
    }
  }

  @Test
  void removesWhatIsLeftOfASecretAnEarlierPassMaskedInPart() {
    String partlyMasked = "[redacted]" + TOKEN.substring(TOKEN.indexOf('='));
    assertThat(secrets.redact(partlyMasked)).isEqualTo("[redacted]=[redacted]");
  }

  @Test
  void leavesOtherTextAloneAndShortValuesAreNoSecrets() {
    String text = "a short answer, nothing secret";
    assertThat(secrets.redact(text)).isSameAs(text);
    assertThat(KnownSecrets.of(List.of("short")).isEmpty()).isTrue();
    UpstreamError e = UpstreamError.of(ErrorClass.SERVER_ERROR, 500, "overloaded");
    assertThat(secrets.redact(e)).isSameAs(e);
    assertThat(secrets.redact(UpstreamError.of(ErrorClass.BAD_REQUEST, 400, "key " + AZURE)).message())
        .isEqualTo("key [redacted]");
  }
}
