package dev.sluice.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A parsed store URL: {@code sqlite:PATH} or {@code postgresql://user:pass@host:port/db?params}.
 *
 * @param sqlitePath the database file (SQLite only)
 * @param user {@code null} when the URL has none (SQLite, or PostgreSQL with the driver's default)
 */
record StoreUrl(Dialect dialect, String jdbcUrl, String user, String password, Path sqlitePath) {

  static StoreUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a store URL is required: sqlite:PATH or postgresql://user:pass@host:port/db");
    }
    if (url.startsWith("sqlite:")) {
      String path = url.substring("sqlite:".length());
      if (path.startsWith("//")) {
        path = path.substring(2);
      }
      if (path.isBlank() || path.contains(":memory:") || path.startsWith("file:")) {
        throw new IllegalArgumentException("sqlite: needs a file path (a temporary file in tests), got: " + url);
      }
      Path p = Path.of(path).toAbsolutePath().normalize();
      return new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + p, null, null, p);
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      return postgres(url);
    }
    throw new IllegalArgumentException("unknown store URL (want sqlite:PATH or postgresql://…): " + redacted(url));
  }

  private static StoreUrl postgres(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed PostgreSQL URL: " + redacted(url), e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("PostgreSQL URL needs a host: " + redacted(url));
    }
    String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append('/').append(db);
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    return new StoreUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password, null);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL without its password or query values, for messages and logs. */
  static String redacted(String url) {
    return dev.sluice.core.Urls.redacted(url);
  }

  @Override
  public String toString() {
    // The JDBC URL's query may carry options such as password=…: never printed.
    return "StoreUrl[" + dialect + " " + dev.sluice.core.Urls.redacted(jdbcUrl) + (user == null ? "" : " user=" + user)
        + "]";
  }
}
