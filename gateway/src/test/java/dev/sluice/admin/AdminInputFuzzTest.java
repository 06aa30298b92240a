package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.Budget;
import dev.sluice.store.NewKey;
import dev.sluice.store.StoredKey;
import dev.sluice.store.Team;
import dev.sluice.tenancy.KeyPolicy;
import dev.sluice.testing.FuzzInputTimeout;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the admin API's body reading ({@link AdminInput}) with arbitrary bodies, each read the
 * three ways the admin API reads one: as a new key ({@code POST /admin/keys}, in the order
 * {@code KeyAdmin.create} reads it), as a change to a stored key ({@code PATCH /admin/keys/:id},
 * {@link KeyAdmin#change}) and as a team ({@code POST /admin/teams}, as {@code TeamAdmin.upsert}
 * reads it). Each must give a value or an {@link AdminInput.Invalid} (the admin's 400 naming the
 * field); any other exception would be a 500. Seeds: {@code src/test/resources/dev/sluice/admin/AdminInputFuzzTestInputs/}.
 */
public final class AdminInputFuzzTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Set<String> PATCH_FIELDS = Set.of("team", "models", "limits", "priority",
      "allow_priority_header", "budget", "metadata", "expires_at");
  private static final StoredKey STORED = new StoredKey("key_0123456789abcdef0123", "0".repeat(64), "sk-sluice-abc",
      "stored", null, null, KeyPolicy.DEFAULT.toJson(), null, null, null, null, NOW);

  @FuzzTest
  void adminBodies(byte[] body) {
    oneInput(body);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] body) {
    FuzzInputTimeout.run("admin body", body, () -> {
      readOrRefuse(() -> newKey(Buffer.buffer(body)));
      readOrRefuse(() -> KeyAdmin.change(AdminInput.object(Buffer.buffer(body), PATCH_FIELDS), STORED));
      readOrRefuse(() -> team(Buffer.buffer(body)));
    });
  }

  private static void readOrRefuse(Runnable read) {
    try {
      read.run();
    } catch (AdminInput.Invalid e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** {@code KeyAdmin.create}'s reading of the body, in its order. */
  private static NewKey newKey(Buffer body) {
    return KeyAdmin.readNewKey(body, "key_0123456789abcdef0123", KeyAdmin.PREFIX + "x".repeat(KeyAdmin.RANDOM_CHARS), NOW);
  }

  /** The write-time SSRF check the gateway gives the admin API (no DNS at write time). */
  private static final dev.sluice.upstream.OutboundGuard GUARD = new dev.sluice.upstream.OutboundGuard(List.of(), null);

  /** {@code TeamAdmin.upsert}'s reading of the body, in its order. */
  private static Team team(Buffer body) {
    ObjectNode b = AdminInput.object(body, Set.of("name", "budget"));
    String name = AdminInput.name(b.get("name"), "name");
    JsonNode budgetNode = b.get("budget");
    Budget budget = AdminInput.budget(budgetNode, "budget", Set.of("alert_webhook", "alert_thresholds"));
    String webhook = budget == null ? null : AdminInput.webhook(budgetNode.get("alert_webhook"), "budget.alert_webhook",
        url -> GUARD.screen(url).map(dev.sluice.upstream.OutboundDecision.Refused::message).orElse(null));
    List<Integer> thresholds = budget == null ? null
        : AdminInput.thresholds(budgetNode.get("alert_thresholds"), "budget.alert_thresholds");
    return new Team(name, budget, webhook, budget != null && thresholds == null ? TeamAdmin.DEFAULT_THRESHOLDS : thresholds,
        NOW);
  }
}
