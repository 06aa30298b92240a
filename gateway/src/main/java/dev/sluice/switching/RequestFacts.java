package dev.sluice.switching;

/**
 * What the gateway knows of a request beyond its body, for system prompt variables. These win over
 * the body's {@code metadata} of the same name, so a client cannot pose as another key or team.
 *
 * @param keyName the calling key's name; null: unknown
 * @param team the calling key's team; null: none
 * @param model the model entry the client asked for
 */
public record RequestFacts(String keyName, String team, String model) {
  public static final RequestFacts NONE = new RequestFacts(null, null, null);

  /** The built-in variable's value, or null when {@code name} is not one (or it is unset). */
  String builtIn(String name) {
    return switch (name) {
      case "key_name" -> keyName;
      case "team" -> team;
      case "model" -> model;
      default -> null;
    };
  }

  static boolean isBuiltIn(String name) {
    return name.equals("key_name") || name.equals("team") || name.equals("model");
  }
}
