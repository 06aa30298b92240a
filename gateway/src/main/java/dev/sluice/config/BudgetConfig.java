package dev.sluice.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * A spending budget of a key or team.
 *
 * @param usd the amount, exact (parsed from the config text, never through a double)
 * @param period daily | monthly | total
 * @param mode hard (refuse with budget_exceeded) | soft (alert only)
 * @param alertWebhook where soft-budget alerts are POSTed; null for none. A chat webhook's URL is its
 *     credential: printed and logged only as its origin
 * @param alertThresholds shares of the budget that trigger an alert, e.g. [0.5, 0.8, 1.0]
 */
public record BudgetConfig(BigDecimal usd, String period, String mode, String alertWebhook,
    List<Double> alertThresholds) {
  public BudgetConfig {
    alertThresholds = List.copyOf(alertThresholds);
  }

  public boolean hard() {
    return "hard".equals(mode);
  }

  @Override
  public String toString() {
    return "BudgetConfig[" + usd.toPlainString() + " " + period + " " + mode
        + (alertWebhook == null ? "" : ", alerts to " + dev.sluice.core.Urls.origin(alertWebhook)) + "]";
  }
}
