package dev.sluice.observe.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {
  private static final Pattern KEY = Pattern.compile("sk-[A-Za-z0-9]{20,}");
  private static final String SECRET = "sk-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void redactsEveryMatchBeforeCuttingSoASecretAcrossTheCutIsMaskedNotHalfKept() {
    BodyPolicy policy = new BodyPolicy(List.of(KEY), 30);
    // the secret starts before byte 30 and ends after it: cut first, its first half would be kept
    BodyPolicy.Kept kept = policy.keep("0123456789012345678 " + SECRET + " tail", false);
    assertThat(kept.text()).isEqualTo("0123456789012345678 [REDACTED]");
    assertThat(kept.truncated()).isTrue();
    assertThat(policy.keep("a " + SECRET + " b " + SECRET, false).text()).isEqualTo("a [REDACTED] b [REDACTED]");
  }

  @Test
  void cutsAtMaxBytesOfUtf8WithoutSplittingACharacter() {
    BodyPolicy policy = new BodyPolicy(List.of(), 5);
    assertThat(policy.keep("ééé", false)).isEqualTo(new BodyPolicy.Kept("éé", true)); // 4 bytes; a third would be 6
    assertThat(policy.keep("ab😀cd", false)).isEqualTo(new BodyPolicy.Kept("ab", true)); // the emoji is 4 bytes
    assertThat(policy.keep("abcde", false)).isEqualTo(new BodyPolicy.Kept("abcde", false));
    assertThat(BodyPolicy.utf8Prefix("a😀", 5)).isEqualTo(3);
  }

  @Test
  void aBodyLongerThanTheWindowIsLookedAtOnlyThatFarAndItsEdgeIsNeverKept() {
    BodyPolicy policy = new BodyPolicy(List.of(KEY), 100);
    int window = policy.windowBytes();
    // a secret that the window cuts in half sits right at the window's end
    String filler = "x".repeat(window - 10);
    String body = filler + SECRET + "y".repeat(50_000);
    CapturedBodies c = BodyCapture.start(policy, Buffer.buffer(body)).finish();
    assertThat(c.request()).isEqualTo("x".repeat(100));
    assertThat(c.requestTruncated()).isTrue();
    // A long secret shrinks the window's text below max_bytes, so the cut alone would keep a second
    // secret that the window's end cut too short to match: the edge guard drops it.
    BodyPolicy wide = new BodyPolicy(List.of(KEY), 500);
    String longSecret = "sk-" + "A".repeat(wide.windowBytes() - 3 - 400 - 12);
    String shrinking = longSecret + " " + "z".repeat(399) + SECRET + "z".repeat(100);
    CapturedBodies guarded = BodyCapture.start(wide, Buffer.buffer(shrinking)).finish();
    assertThat(guarded.request()).doesNotContain("sk-");
    assertThat(guarded.requestTruncated()).isTrue();
    String unguarded = wide.keep(shrinking.substring(0, wide.windowBytes()), false).text();
    assertThat(unguarded).as("what the cut alone would have kept").contains("sk-ABCDEFGHI");
  }

  @Test
  void capturesAStreamAsItsPartsUpToTheWindowAndAWholeAnswerReplacesThem() {
    BodyPolicy policy = new BodyPolicy(List.of(KEY), 40);
    BodyCapture c = BodyCapture.start(policy, null);
    c.answerPart(Buffer.buffer("data: {\"a\":1}\n\n"));
    c.answerPart(Buffer.buffer("data: " + SECRET + "\n\n"));
    c.answerPart(Buffer.buffer("data: [DONE]\n\n"));
    CapturedBodies out = c.finish();
    assertThat(out.request()).isNull();
    assertThat(out.response()).startsWith("data: {\"a\":1}\n\ndata: [REDACTED]").doesNotContain("sk-");
    assertThat(utf8(out.response())).isLessThanOrEqualTo(40);
    assertThat(out.responseTruncated()).isTrue();

    BodyCapture whole = BodyCapture.start(policy, Buffer.buffer("{}"));
    whole.answerPart(Buffer.buffer("partial"));
    whole.answer(Buffer.buffer("{\"error\":1}"));
    assertThat(whole.finish()).isEqualTo(new CapturedBodies("{}", "{\"error\":1}", false, false));

    BodyCapture many = BodyCapture.start(new BodyPolicy(List.of(), 10), null);
    for (int i = 0; i < 10_000; i++) {
      many.answerPart(Buffer.buffer("0123456789"));
    }
    assertThat(many.finish().response()).isEqualTo("0123456789");
  }
}
