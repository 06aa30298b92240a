package dev.sluice.core;

/** What to do with a request parameter the chosen target's API cannot carry. */
public enum ParamPolicy {
  /** Remove it and say so in {@code x-sluice-dropped-params}. */
  DROP,
  /** Refuse the request with a 400 naming the parameter and the target. */
  REJECT
}
