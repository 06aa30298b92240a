package dev.sluice.core;

/**
 * One place a request can be sent: a configured provider and the model name that provider knows.
 *
 * @param weight relative share for weighted routing (≥ 1)
 */
public record Target(String provider, String model, int weight) {}
