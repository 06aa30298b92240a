/**
 * Making a switch between models safe: per-target adaptation of the canonical request (system prompt,
 * parameter rules, the built-in rules of known model families, the reasoning-effort mapping).
 * Depends on {@code core} and {@code routing} only; {@code pipeline} wires it.
 */
package dev.sluice.switching;
