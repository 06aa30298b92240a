package dev.sluice.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretDigestTest {
  private static final String SECRET = "sk-master-key-0123456789";

  @Test
  void matchesOnlyTheExactSecret() {
    SecretDigest d = SecretDigest.of(SECRET);
    assertThat(d.matches(SECRET)).isTrue();
    assertThat(d.matches(SECRET + " ")).isFalse();
    assertThat(d.matches(SECRET.substring(0, SECRET.length() - 1))).isFalse();
    assertThat(d.matches(SECRET.toUpperCase())).isFalse();
    assertThat(d.matches("")).isFalse();
    assertThat(d.matches(null)).isFalse();
  }

  @Test
  void noSecretConfiguredIsNull() {
    assertThat(SecretDigest.of(null)).isNull();
  }

  @Test
  void neverShowsTheSecret() {
    assertThat(SecretDigest.of(SECRET).toString()).doesNotContain(SECRET).doesNotContain("0123");
  }

  @Test
  void theMasterKeyIsRecognisedByDigest() {
    ClientAuth auth = new ClientAuth(java.util.Map.of(), SECRET, null, null);
    assertThat(auth.hasMaster()).isTrue();
    assertThat(auth.isMaster(SECRET)).isTrue();
    assertThat(auth.isMaster(SECRET + "0")).isFalse();
    assertThat(auth.isMaster(null)).isFalse();
    assertThat(new ClientAuth(java.util.Map.of(), null, null, null).isMaster(SECRET)).isFalse();
  }
}
