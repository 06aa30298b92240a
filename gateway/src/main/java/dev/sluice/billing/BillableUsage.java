package dev.sluice.billing;

import dev.sluice.core.TokenUsage;

/** The token usage an attempt is billed on, and whether it had to be estimated. Immutable. */
public record BillableUsage(TokenUsage usage, boolean estimated) {}
