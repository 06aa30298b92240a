package dev.sluice.pipeline;

import dev.sluice.config.KeyConfig;
import dev.sluice.config.LogBodiesConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TeamConfig;
import dev.sluice.observe.requestlog.BodyCapture;
import dev.sluice.observe.requestlog.BodyPolicy;
import dev.sluice.tenancy.Principal;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Whose bodies go into the request log: the {@code log_bodies} of the config key with the caller's
 * name, else of the caller's team (a key's setting, even {@code enabled: false}, wins over its
 * team's); none by default. Built once from the config; immutable, thread-safe.
 */
final class BodyLogging {
  /** Name → policy; a null value: set, and off. */
  private final Map<String, BodyPolicy> byKey;
  private final Map<String, BodyPolicy> byTeam;

  private BodyLogging(Map<String, BodyPolicy> byKey, Map<String, BodyPolicy> byTeam) {
    this.byKey = byKey;
    this.byTeam = byTeam;
  }

  static BodyLogging from(SluiceConfig config) {
    Map<String, BodyPolicy> keys = new HashMap<>();
    for (KeyConfig k : config.keys()) {
      if (k.logBodies() != null && !keys.containsKey(k.name())) {
        keys.put(k.name(), policy(k.logBodies()));
      }
    }
    Map<String, BodyPolicy> teams = new HashMap<>();
    for (TeamConfig t : config.teams()) {
      if (t.logBodies() != null) {
        teams.put(t.name(), policy(t.logBodies()));
      }
    }
    return new BodyLogging(keys, teams);
  }

  private static BodyPolicy policy(LogBodiesConfig c) {
    return c.enabled() ? new BodyPolicy(c.redact(), c.maxBytes()) : null;
  }

  /** The policy for this caller, or null when its bodies are not stored. */
  BodyPolicy policyFor(Principal who) {
    if (who == null) {
      return null;
    }
    if (byKey.containsKey(who.name())) {
      return byKey.get(who.name());
    }
    return who.team() == null ? null : byTeam.get(who.team());
  }

  /** A capture of this request's bodies, or null (nothing is copied) when its caller's are not stored. */
  BodyCapture start(Principal who, Buffer requestBody) {
    if (byKey.isEmpty() && byTeam.isEmpty()) {
      return null;
    }
    BodyPolicy p = policyFor(who);
    return p == null ? null : BodyCapture.start(p, requestBody);
  }
}
