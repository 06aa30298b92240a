package dev.sluice.config;

import java.time.Duration;

/**
 * A model entry's canary: a share of its traffic ramped to {@code model}, rolled back when it misbehaves.
 * Shares are fractions of 1 ({@code 1%} is 0.01).
 *
 * @param model a configured model entry name or {@code provider/model}: what the canary share is sent to
 * @param start the share at the start (and after a restart of the canary)
 * @param step how much the share grows at each step
 * @param every how long a step lasts at least before the next
 * @param max the share the ramp stops at
 * @param errorRate roll back when more than this share of the window's canary requests failed on {@code model}
 * @param p95Ttft roll back when the window's p95 time to first token on {@code model} is above this; null: not checked
 * @param minRequests the window's canary requests needed before a step or a rollback is judged
 */
public record CanaryConfig(String model, double start, double step, Duration every, double max, double errorRate,
    Duration p95Ttft, long minRequests) {
}
