package dev.sluice.switching.shadow;

/**
 * How a candidate's answer compares with the primary's. Each field is null when it was not
 * compared (not asked, or not applicable: no schema in the request, either side failed).
 *
 * @param exact the two texts and tool calls are identical
 * @param json the candidate's text parses as JSON (asked of JSON-mode requests, or when compare lists json)
 * @param schema the candidate's JSON satisfies the request's {@code json_schema}
 * @param tools both called the same tools, in order, with equal arguments (compared as parsed JSON)
 * @param similarity cosine similarity of the two texts' embeddings, -1 to 1
 */
public record ShadowComparison(Boolean exact, Boolean json, Boolean schema, Boolean tools, Double similarity) {

  public static final ShadowComparison NONE = new ShadowComparison(null, null, null, null, null);

  public ShadowComparison withSimilarity(Double s) {
    return new ShadowComparison(exact, json, schema, tools, s);
  }
}
