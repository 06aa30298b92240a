/**
 * Canary releases of a model entry: a share of its requests ramped step by step to another model,
 * rolled back to 0% when the canary's error rate or time to first token crosses a limit. The state
 * machine is pure ({@link dev.sluice.switching.canary.CanaryRules}); where the state lives is a
 * {@link dev.sluice.switching.canary.CanaryStates} (this process, persisted through a
 * {@link dev.sluice.switching.canary.CanaryPersistence}, or Redis shared by replicas);
 * {@link dev.sluice.switching.canary.CanaryDirector} is what the request path asks.
 * Depends on {@code core} and {@code routing} only.
 */
package dev.sluice.switching.canary;
