package dev.sluice.config;

/**
 * A team: keys belong to one; its limits and budget cover all of them together.
 *
 * @param logBodies null: bodies of its keys are not stored (unless a key says otherwise)
 */
public record TeamConfig(String name, LimitsConfig limits, BudgetConfig budget, LogBodiesConfig logBodies) {}
