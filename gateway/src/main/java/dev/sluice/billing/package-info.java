/**
 * Money: {@code Pricing} (the catalog with config overrides), the {@code Accountant} that prices
 * every upstream attempt and writes its ledger row, key and team {@code Budgets} (reserve worst
 * case, settle on actual; shared through Redis by {@code SharedBudgets}), and the JSON of spend
 * reports. Attempts reach it as {@code BillableAttempt}s, so it never sees how a request runs.
 *
 * <p>May use cost, store, observe (metrics, ledger writer), config, core, tenancy (whom it charges)
 * and admission (a budget refusal is an {@code AdmissionRefusal}). Must not use the pipeline or server.
 */
package dev.sluice.billing;
