package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.KeyHashes;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class KeysCliTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    gateway = TestGateway.start(KeysApi.config(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  /** The exit code and what the command printed. */
  record Run(int code, String out, String err) {}

  static Run sluice(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = new CommandLine(new Main()).execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run admin(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", gateway.url(""), "--master-key", KeysApi.MASTER));
    return sluice(all.toArray(String[]::new));
  }

  @Test
  void createListAndRevokeAKeyFromTheCommandLine() throws Exception {
    Run created = admin("keys", "create", "--name", "cli-app", "--team", "search", "--models", "chat,other",
        "--rpm", "60", "--tpm", "100000", "--budget-usd", "12.5", "--budget-period", "daily", "--budget-mode", "soft",
        "--expires-at", "2999-01-01T00:00:00Z", "--metadata", "owner=ops");
    assertThat(created.code()).as(created.err()).isZero();
    Matcher m = Pattern.compile("(sk-sluice-[0-9A-Za-z]{43})").matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    String plain = m.group(1);
    Matcher id = Pattern.compile("Created key (key_[0-9a-f]+)").matcher(created.out());
    assertThat(id.find()).isTrue();

    assertThat(KeysApi.chat(gateway, plain, "chat").statusCode()).isEqualTo(200);
    JsonNode stored = KeysApi.json(KeysApi.admin(gateway, "GET", "/admin/keys/" + id.group(1), null));
    assertThat(stored.path("team").asText()).isEqualTo("search");
    assertThat(stored.path("models")).hasSize(2);
    assertThat(stored.path("limits").path("rpm").asLong()).isEqualTo(60);
    assertThat(stored.path("budget").path("usd").asText()).isEqualTo("12.500000");
    assertThat(stored.path("budget").path("period").asText()).isEqualTo("daily");
    assertThat(stored.path("budget").path("mode").asText()).isEqualTo("soft");
    assertThat(stored.path("metadata").path("owner").asText()).isEqualTo("ops");
    assertThat(stored.path("expires_at").asText()).isEqualTo("2999-01-01T00:00:00Z");

    Run list = admin("keys", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("ID", "NAME", id.group(1), "cli-app", "search", plain.substring(0, 12), "active",
        "$12.5/daily soft", "1 key");
    assertThat(list.out()).doesNotContain(plain).doesNotContain(KeyHashes.sha256Hex(plain));
    assertThat(admin("keys", "list", "--team", "nobody").out()).contains("0 keys");

    Run revoked = admin("keys", "revoke", id.group(1));
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("Revoked " + id.group(1));
    assertThat(KeysApi.chat(gateway, plain, "chat").statusCode()).isEqualTo(401);
    assertThat(admin("keys", "list").out()).contains("revoked");
  }

  @Test
  void createAndListTeams() {
    Run created = admin("teams", "create", "--name", "search", "--budget-usd", "500", "--budget-mode", "soft",
        "--alert-webhook", "https://hooks.example.com/b", "--alert-thresholds", "50,90");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("Team search", "$500/monthly soft");
    assertThat(admin("teams", "create", "--name", "infra").code()).isZero();

    Run list = admin("teams", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("search", "$500/monthly soft", "50%,90%", "https://hooks.example.com/b", "infra",
        "2 teams");
  }

  @Test
  void teamsCreateRefusesAWebhookToANonPublicAddressSayingWhy() {
    Run refused = admin("teams", "create", "--name", "ops", "--budget-usd", "5", "--budget-mode", "soft",
        "--alert-webhook", "https://169.254.169.254/latest/meta-data/");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("400", "link-local", "budget.alert_webhook");
    assertThat(admin("teams", "list").out()).contains("0 teams");
  }

  @Test
  void adminErrorsAreClearAndExitNonZero() {
    Run wrongKey = sluice("keys", "list", "--url", gateway.url(""), "--master-key", "sk-not-the-master-key");
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("401").contains("master key");

    Run noKey = sluice("keys", "list", "--url", gateway.url(""), "--master-key", "");
    assertThat(noKey.code()).isEqualTo(2);
    assertThat(noKey.err()).contains("--master-key");

    Run unknown = admin("keys", "revoke", "key_nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("404").contains("key_nope");

    Run invalid = admin("keys", "create", "--name", "x", "--budget-usd", "-3");
    assertThat(invalid.code()).isEqualTo(1);
    assertThat(invalid.err()).contains("budget.usd");

    Run down = sluice("keys", "list", "--url", "http://127.0.0.1:1", "--master-key", KeysApi.MASTER);
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the gateway");
  }
}
