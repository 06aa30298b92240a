package dev.sluice.config;

/** A team: keys belong to one; its limits and budget cover all of them together. */
public record TeamConfig(String name, LimitsConfig limits, BudgetConfig budget) {}
