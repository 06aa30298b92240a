package dev.sluice.api.openai;

/**
 * {@code tool_choice}: mode {@code auto}, {@code none}, {@code required}, or {@code function} with
 * the function's name.
 */
public record ToolChoice(String mode, String functionName) {

  public static ToolChoice named(String functionName) {
    return new ToolChoice("function", functionName);
  }
}
