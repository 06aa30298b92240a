package dev.sluice.tenancy;

import dev.sluice.config.BudgetConfig;
import dev.sluice.store.Budget;
import dev.sluice.store.StoredKey;
import java.math.BigDecimal;
import java.util.List;

/** Turns a stored key into the {@link Principal} the request path reads. Stateless. */
public final class StoredPrincipals {
  /** The alert shares a stored key's budget gets (the same default as a budget in the config file). */
  static final List<Double> DEFAULT_ALERT_SHARES = List.of(0.5, 0.8, 1.0);
  /**
   * A model name no request can carry. A stored key with an empty allow-list may call nothing,
   * while an empty {@link Principal#models()} means "every model": the empty list becomes this.
   */
  public static final String NO_MODEL = "\u0000none";

  private StoredPrincipals() {}

  static Principal of(StoredKey k) {
    KeyPolicy policy = KeyPolicy.parse(k.limitsJson());
    List<String> models = k.models() == null ? List.of() : k.models().isEmpty() ? List.of(NO_MODEL) : k.models();
    return new Principal(k.name(), k.id(), k.team(), policy.priority(), policy.allowPriorityHeader(),
        policy.limits(), budget(k.budget()), models);
  }

  /** A store budget (integer micros) as the config's budget (exact decimal USD); null stays null. */
  static BudgetConfig budget(Budget b) {
    if (b == null) {
      return null;
    }
    return new BudgetConfig(BigDecimal.valueOf(b.micros(), 6), b.period().wire(), b.mode().wire(), null,
        DEFAULT_ALERT_SHARES);
  }
}
