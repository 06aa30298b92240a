package dev.sluice.config;

import java.time.Duration;
import java.util.Set;

/** Reads {@code server:} (the HTTP front and its client limits), {@code outbound:} and {@code console:}. */
final class ServerParser {
  private static final Set<String> SERVER_KEYS = Set.of("host", "port", "master_key", "max_body_bytes",
      "shutdown_grace", "on_client_disconnect", "metrics_key", "header_timeout", "idle_timeout", "body_timeout",
      "max_connections", "max_connections_per_ip", "max_header_bytes", "max_headers", "max_request_line_bytes",
      "max_json_depth", "max_json_number_length", "max_json_string_bytes", "decompress_requests",
      "max_decompressed_bytes", "config_watch");
  private static final Set<String> OUTBOUND_KEYS = Set.of("trusted_hosts");
  private static final Set<String> CONSOLE_KEYS = Set.of("session_ttl");
  private static final java.util.regex.Pattern TRUSTED_HOST = java.util.regex.Pattern.compile(
      "\\[[0-9A-Fa-f:.]+\\](?::([0-9]{1,5}))?|[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9._-]+(?::([0-9]{1,5}))?");
  private static final long DEFAULT_MAX_BODY = 10 * 1024 * 1024;

  private ServerParser() {}

  static ServerConfig server(ConfigNode s) {
    if (s == null) {
      return new ServerConfig("0.0.0.0", 4000, null, DEFAULT_MAX_BODY, Duration.ofSeconds(30), true,
          ClientLimits.DEFAULTS, null);
    }
    s.allowOnly(SERVER_KEYS);
    return new ServerConfig(s.string("host", "0.0.0.0"), s.integer("port", 4000, 0, 65535),
        s.optionalSecret("master_key"), s.longValue("max_body_bytes", DEFAULT_MAX_BODY, 1024),
        s.duration("shutdown_grace", Duration.ofSeconds(30)), onClientDisconnect(s), clientLimits(s),
        s.optionalSecret("metrics_key"), s.bool("config_watch", false));
  }

  private static ClientLimits clientLimits(ConfigNode s) {
    ClientLimits d = ClientLimits.DEFAULTS;
    return new ClientLimits(positive(s, "header_timeout", d.headerTimeout()),
        positive(s, "idle_timeout", d.idleTimeout()), positive(s, "body_timeout", d.bodyTimeout()),
        s.integer("max_connections", d.maxConnections(), 1, 10_000_000),
        s.integer("max_connections_per_ip", d.maxConnectionsPerIp(), 1, 10_000_000),
        s.integer("max_header_bytes", d.maxHeaderBytes(), 1024, 1024 * 1024),
        s.integer("max_headers", d.maxHeaders(), 8, 10_000),
        s.integer("max_request_line_bytes", d.maxRequestLineBytes(), 256, 1024 * 1024),
        s.integer("max_json_depth", d.maxJsonDepth(), 4, 10_000),
        s.integer("max_json_number_length", d.maxJsonNumberLength(), 16, 100_000),
        s.integer("max_json_string_bytes", d.maxJsonStringBytes(), 1024, Integer.MAX_VALUE),
        s.bool("decompress_requests", d.decompressRequests()),
        s.longValue("max_decompressed_bytes", d.maxDecompressedBytes(), 1024));
  }

  private static Duration positive(ConfigNode s, String key, Duration fallback) {
    Duration d = s.duration(key, fallback);
    if (d != null && (d.isZero() || d.isNegative())) {
      s.problem(key, "must be longer than zero");
      return fallback;
    }
    return d;
  }

  private static boolean onClientDisconnect(ConfigNode s) {
    String v = s.string("on_client_disconnect", "drain");
    if (!v.equals("drain") && !v.equals("cancel")) {
      s.problem("on_client_disconnect", "must be drain or cancel");
    }
    return !v.equals("cancel");
  }

  static OutboundConfig outbound(ConfigNode o) {
    if (o == null) {
      return OutboundConfig.DEFAULTS;
    }
    o.allowOnly(OUTBOUND_KEYS);
    java.util.List<String> hosts = o.stringList("trusted_hosts");
    for (String h : hosts) {
      if (!trustedHost(h.strip())) {
        o.problem("trusted_hosts", "'" + h + "' is not a host, host:port, IPv6 address or [IPv6]:port"
            + " (no scheme, path or user@)");
      }
    }
    return new OutboundConfig(hosts);
  }

  static ConsoleConfig console(ConfigNode c) {
    if (c == null) {
      return ConsoleConfig.DEFAULTS;
    }
    c.allowOnly(CONSOLE_KEYS);
    Duration ttl = positive(c, "session_ttl", ConsoleConfig.DEFAULTS.sessionTtl());
    if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
      c.problem("session_ttl", "must be between 1m and 30d");
      ttl = ConsoleConfig.DEFAULTS.sessionTtl();
    }
    return new ConsoleConfig(ttl);
  }

  /** The shapes the outbound guard accepts; it checks the details (canonical IPv4, label lengths) itself. */
  private static boolean trustedHost(String h) {
    java.util.regex.Matcher m = TRUSTED_HOST.matcher(h);
    if (!m.matches()) {
      return false;
    }
    String port = m.group(1) != null ? m.group(1) : m.group(2);
    return port == null || (Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535);
  }
}
