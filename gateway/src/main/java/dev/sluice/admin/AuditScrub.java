package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.KeyHashes;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What an admin view may not take into the audit log, taken out of a copy: a plain key or a key
 * hash (the admin views hold neither, but a creation answer holds the plain key, and this is the
 * last line), and the secret part of a budget alert webhook. Stateless.
 */
final class AuditScrub {
  private AuditScrub() {}

  /** A scrubbed copy of {@code view}; null for null. */
  static ObjectNode view(ObjectNode view) {
    if (view == null) {
      return null;
    }
    ObjectNode copy = view.deepCopy();
    copy.remove("key");
    copy.remove("key_hash");
    JsonNode budget = copy.get("budget");
    if (budget instanceof ObjectNode b && b.path("alert_webhook").isTextual()) {
      b.put("alert_webhook", webhook(b.get("alert_webhook").asText()));
    }
    return copy;
  }

  /**
   * A webhook URL without its path, query and user info, which often carry its credential (Slack,
   * Teams and Discord put a token in the path): {@code https://hooks.example.com/… sha256:1a2b3c4d},
   * the hash telling one URL from another without revealing either.
   */
  static String webhook(String url) {
    String fingerprint = " sha256:" + KeyHashes.sha256Hex(url).substring(0, 8);
    try {
      URI u = new URI(url);
      if (u.getScheme() != null && u.getHost() != null) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/…" + fingerprint;
      }
    } catch (URISyntaxException e) {
      // not a URL we can split: keep only the fingerprint
    }
    return "…" + fingerprint;
  }
}
