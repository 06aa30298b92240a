package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.core.Json;
import dev.sluice.store.Budget;
import dev.sluice.store.StoredKey;
import dev.sluice.store.Team;
import dev.sluice.tenancy.KeyPolicy;
import java.time.Instant;

/**
 * The JSON the admin API answers with. A key's view never holds its hash or its plain text (the
 * plain key is added once, to the creation answer only). Stateless.
 */
final class AdminViews {
  private AdminViews() {}

  static ObjectNode key(StoredKey k, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.key");
    o.put("id", k.id());
    o.put("name", k.name());
    nullable(o, "team", k.team());
    o.put("key_prefix", k.keyPrefix());
    if (k.models() == null) {
      o.putNull("models");
    } else {
      ArrayNode models = o.putArray("models");
      k.models().forEach(models::add);
    }
    KeyPolicy policy = KeyPolicy.parse(k.limitsJson());
    ObjectNode limits = o.putObject("limits");
    limits.put("rpm", policy.limits().rpm());
    limits.put("tpm", policy.limits().tpm());
    limits.put("max_concurrency", policy.limits().maxConcurrency());
    o.put("priority", policy.priority());
    o.put("allow_priority_header", policy.allowPriorityHeader());
    budget(o, k.budget());
    if (k.metadataJson() == null) {
      o.putNull("metadata");
    } else {
      try {
        o.set("metadata", Json.MAPPER.readTree(k.metadataJson()));
      } catch (java.io.IOException e) {
        o.putNull("metadata");
      }
    }
    nullable(o, "expires_at", k.expiresAt());
    nullable(o, "revoked_at", k.revokedAt());
    o.put("created_at", k.createdAt().toString());
    o.put("status", k.revokedAt() != null && !now.isBefore(k.revokedAt()) ? "revoked"
        : k.expiresAt() != null && !now.isBefore(k.expiresAt()) ? "expired" : "active");
    return o;
  }

  static ObjectNode team(Team t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.team");
    o.put("name", t.name());
    ObjectNode b = budget(o, t.budget());
    if (b != null) {
      nullable(b, "alert_webhook", t.alertWebhook());
      ArrayNode thresholds = b.putArray("alert_thresholds");
      if (t.alertThresholds() != null) {
        t.alertThresholds().forEach(thresholds::add);
      }
    }
    o.put("created_at", t.createdAt().toString());
    return o;
  }

  static ObjectNode list(Iterable<ObjectNode> items) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    items.forEach(data::add);
    return o;
  }

  private static ObjectNode budget(ObjectNode o, Budget b) {
    if (b == null) {
      o.putNull("budget");
      return null;
    }
    ObjectNode budget = o.putObject("budget");
    budget.put("usd", SpendReports.usd(b.micros()));
    budget.put("period", b.period().wire());
    budget.put("mode", b.mode().wire());
    return budget;
  }

  private static void nullable(ObjectNode o, String field, Object value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value.toString());
    }
  }
}
