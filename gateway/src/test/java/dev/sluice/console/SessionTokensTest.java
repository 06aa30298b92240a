package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.extension.ConsoleSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String HASH = "a".repeat(64);
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant EXPIRES = NOW.plusSeconds(3600);

  private final SessionTokens tokens = new SessionTokens(SECRET);

  @Test
  void aTokenSignedHereReadsBackAsItsSession() {
    ConsoleSession s = tokens.verify(tokens.sign("id1", ConsoleSession.Role.CLIENT, HASH, "svc|with|bars é", EXPIRES), NOW);
    assertThat(s.id()).isEqualTo("id1");
    assertThat(s.role()).isEqualTo(ConsoleSession.Role.CLIENT);
    assertThat(s.keyHash()).isEqualTo(HASH);
    assertThat(s.keyName()).isEqualTo("svc|with|bars é");
    assertThat(s.expiresAt()).isEqualTo(EXPIRES);
    assertThat(s.csrf()).isEqualTo(tokens.csrf("id1")).isNotEqualTo(tokens.csrf("id2"));
    assertThat(s.csrfMatches(tokens.csrf("id1"))).isTrue();
    assertThat(s.csrfMatches(null)).isFalse();

    ConsoleSession admin = tokens.verify(tokens.sign("id2", ConsoleSession.Role.ADMIN, null, null, EXPIRES), NOW);
    assertThat(admin.admin()).isTrue();
    assertThat(admin.keyHash()).isNull();
    assertThat(admin.toString()).doesNotContain(admin.csrf());
  }

  @Test
  void aTokenIsRefusedFromItsExpiryOn() {
    String token = tokens.sign("id1", ConsoleSession.Role.ADMIN, null, null, EXPIRES);
    assertThat(tokens.verify(token, EXPIRES.minusSeconds(1))).isNotNull();
    assertThat(tokens.verify(token, EXPIRES)).isNull();
    assertThat(tokens.verify(token, EXPIRES.plusSeconds(86400))).isNull();
  }

  @Test
  void anyChangedCharacterMakesItNoToken() {
    String token = tokens.sign("id1", ConsoleSession.Role.CLIENT, HASH, "svc", EXPIRES);
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThat(tokens.verify(changed, NOW)).as("changed at " + i).isNull();
    }
    assertThat(tokens.verify(token.substring(0, token.length() - 1), NOW)).isNull();
    assertThat(tokens.verify(token + "A", NOW)).isNull();
    assertThat(tokens.verify("", NOW)).isNull();
    assertThat(tokens.verify("v2..", NOW)).isNull();
    assertThat(tokens.verify("v1..", NOW)).isNull();
    assertThat(tokens.verify(null, NOW)).isNull();
  }

  @Test
  void theCookieRevealsNeitherTheKeysHashNorItsName() {
    String name = "billing-service";
    String token = tokens.sign("id1", ConsoleSession.Role.CLIENT, HASH, name, EXPIRES);
    String payload = token.split("\\.")[1];
    byte[] raw = Base64.getUrlDecoder().decode(payload);
    String decoded = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(token).doesNotContain(HASH).doesNotContain(name);
    assertThat(decoded).doesNotContain(HASH).doesNotContain(name)
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
    // A fresh nonce per session: two sessions of one key do not even look alike.
    assertThat(tokens.sign("id1", ConsoleSession.Role.CLIENT, HASH, name, EXPIRES)).isNotEqualTo(token);
  }

  @Test
  void aTokenOfAnotherSecretIsRefused() {
    byte[] other = Arrays.copyOf(SECRET, SECRET.length);
    other[0] ^= 1;
    String token = new SessionTokens(other).sign("id1", ConsoleSession.Role.ADMIN, null, null, EXPIRES);
    assertThat(tokens.verify(token, NOW)).isNull();
    assertThat(new SessionTokens(other).csrf("id1")).isNotEqualTo(tokens.csrf("id1"));
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new SessionTokens(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }
}
