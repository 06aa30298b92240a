/**
 * Shadow traffic: which requests are copied to a candidate model (sample, spend cap, concurrency
 * cap, pressure), and how the candidate's answer compares with the primary's (exact match, JSON
 * validity and schema, tool-call agreement, cosine similarity). Pure decisions and arithmetic;
 * the pipeline makes the calls and stores the pairs. Depends on {@code core} only.
 */
package dev.sluice.switching.shadow;
