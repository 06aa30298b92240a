package dev.sluice.switching;

import java.util.Locale;

/**
 * A model-name glob of the family catalog: {@code *} matches any run of characters, everything else
 * itself, case-insensitively. Split once at load into its literal pieces, so a match is a few
 * {@code regionMatches} calls: no regex per request.
 */
final class NamePattern {
  private final String glob;
  private final String[] pieces;

  NamePattern(String glob) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("empty model pattern");
    }
    this.glob = glob.toLowerCase(Locale.ROOT);
    this.pieces = this.glob.split("\\*", -1);
  }

  boolean matches(String name) {
    if (pieces.length == 1) {
      return name.equalsIgnoreCase(glob);
    }
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (name.length() < first.length() + last.length()
        || !name.regionMatches(true, 0, first, 0, first.length())
        || !name.regionMatches(true, name.length() - last.length(), last, 0, last.length())) {
      return false;
    }
    int at = first.length();
    int end = name.length() - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      at = indexOfIgnoreCase(name, pieces[i], at, end);
      if (at < 0) {
        return false;
      }
      at += pieces[i].length();
    }
    return true;
  }

  private static int indexOfIgnoreCase(String s, String piece, int from, int end) {
    for (int i = from; i + piece.length() <= end; i++) {
      if (s.regionMatches(true, i, piece, 0, piece.length())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return glob;
  }
}
