package dev.sluice.admission;

import java.time.Duration;

/** An admitted waiter: what its {@link AdmissionAttempt} took, and how long it waited for it. */
public record Ticket<T>(T value, String tenant, Priority priority, Duration waited) {}
