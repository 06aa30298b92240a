package dev.sluice.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.Json;
import dev.sluice.extension.ConsoleSession;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.KeyHashes;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out:
 *
 * <ul>
 *   <li>{@code GET /ui/login}: the sign-in page (a plain form, no script);
 *   <li>{@code POST /ui/login}: form field {@code key} or JSON {@code {"key"}}. The master key signs in
 *       as admin, a client key that may be used now (known, not revoked, not expired) as that key;
 *       the answer sets the session cookie and is a 303 to {@code /ui/} for a form, the session (as
 *       {@code GET /ui/session}) for JSON. Any other key: the page again with an error (401) for a
 *       form, a 401 in the admin API's error format for JSON. The key is never echoed or logged. A
 *       browser's cross-site sign-in ({@code Sec-Fetch-Site: cross-site|same-site}) is refused (403),
 *       so another site cannot sign a visitor in to a session of its choosing;
 *   <li>{@code POST /ui/logout}: needs the session's CSRF token (form field {@code csrf} or header
 *       {@code x-csrf-token}); ends the session (refused from then on, even replayed) and clears
 *       the cookie; 303 to {@code /ui/login} for a form, 204 otherwise;
 *   <li>{@code GET /ui/session}: {@code {"role", "csrf", "key_name", "expires_at"}}, or 401. A client
 *       key's session is checked through the auth cache, so a revoked key's session is refused at once.
 * </ul>
 *
 * <p>Handlers run on the front's event loop; a client key is checked through the gateway's auth cache
 * (a store lookup only for a key not yet cached, asynchronously).
 */
final class SignInRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SignInRoutes.class);
  private static final long MAX_BODY_BYTES = 8 * 1024;
  private static final String PAGE = readPage();

  private final GatewayView view;
  private final ConsoleSessions sessions;

  SignInRoutes(GatewayView view, ConsoleSessions sessions) {
    this.view = view;
    this.sessions = sessions;
  }

  void mount(Router router) {
    router.get("/ui/login").handler(ctx -> page(ctx, 200,
        ctx.queryParams().contains("expired") ? "Your session has ended: sign in again." : null));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    router.post("/ui/login").handler(body).handler(this::login);
    router.post("/ui/logout").handler(body).handler(this::logout);
    router.get("/ui/session").handler(this::session);
  }

  private void login(RoutingContext ctx) {
    boolean json = isJson(ctx);
    String site = ctx.request().getHeader("sec-fetch-site");
    if ("cross-site".equals(site) || "same-site".equals(site)) {
      refuse(ctx, json, 403, "permission_error", "Sign in from the console's own page");
      return;
    }
    String key = presentedKey(ctx, json);
    if (key == null || key.isBlank()) {
      refuse(ctx, json, 400, "invalid_request_error", "Enter the master key or a client key");
      return;
    }
    key = key.strip();
    if (view.isMasterKey(key)) {
      signedIn(ctx, json, sessions.issue(ctx, ConsoleSession.Role.ADMIN, null, null));
      return;
    }
    String hash = KeyHashes.sha256Hex(key);
    view.clientKeyName(key).onComplete(ar -> {
      if (ar.failed()) {
        refuse(ctx, json, 503, "server_error", "Sluice could not check the key right now; retry shortly");
      } else if (ar.result() == null) {
        refuse(ctx, json, 401, "authentication_error", "That key was not accepted: it is unknown, revoked or expired");
      } else {
        signedIn(ctx, json, sessions.issue(ctx, ConsoleSession.Role.CLIENT, hash, ar.result()));
      }
    });
  }

  private void signedIn(RoutingContext ctx, boolean json, ConsoleSession s) {
    LOG.info("Console sign-in: {}", s); // the session's id prefix and key name, never the key
    if (json) {
      sendJson(ctx, 200, describe(s));
    } else {
      ctx.response().setStatusCode(303).putHeader("location", "/ui/").putHeader("cache-control", "no-store").end();
    }
  }

  private void logout(RoutingContext ctx) {
    boolean form = isForm(ctx);
    ConsoleSession s = sessions.read(ctx.request());
    if (s == null) {
      if (form) {
        ctx.response().setStatusCode(303).putHeader("location", "/ui/login").end();
      } else {
        error(ctx, 401, "authentication_error", "Not signed in");
      }
      return;
    }
    String token = ctx.request().getHeader(ConsoleSession.CSRF_HEADER);
    if (token == null && form) {
      token = ctx.request().getFormAttribute("csrf");
    }
    if (!s.csrfMatches(token)) {
      error(ctx, 403, "permission_error", "Signing out needs the session's CSRF token");
      return;
    }
    sessions.signOut(ctx, s);
    if (form) {
      ctx.response().setStatusCode(303).putHeader("location", "/ui/login").end();
    } else {
      ctx.response().setStatusCode(204).end();
    }
  }

  private void session(RoutingContext ctx) {
    ConsoleSession s = sessions.read(ctx.request());
    if (s == null) {
      error(ctx, 401, "authentication_error", "Not signed in to the console");
      return;
    }
    current(s).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 503, "server_error", "Sluice could not check the key right now; retry shortly");
      } else if (!ar.result()) {
        error(ctx, 401, "authentication_error", "This session's key is no longer accepted: it was revoked or expired");
      } else {
        sendJson(ctx, 200, describe(s));
      }
    });
  }

  /** Whether the session's key may still be used (always, for the master key's session). */
  private Future<Boolean> current(ConsoleSession s) {
    return s.admin() ? Future.succeededFuture(view.hasMasterKey())
        : view.clientKeyNameByHash(s.keyHash()).map(name -> name != null);
  }

  private static ObjectNode describe(ConsoleSession s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("role", s.admin() ? "admin" : "client");
    o.put("csrf", s.csrf());
    if (s.keyName() == null) {
      o.putNull("key_name");
    } else {
      o.put("key_name", s.keyName());
    }
    o.put("expires_at", s.expiresAt().toString());
    return o;
  }

  private static String presentedKey(RoutingContext ctx, boolean json) {
    if (!json) {
      return ctx.request().getFormAttribute("key");
    }
    try {
      JsonNode body = Json.MAPPER.readTree(ctx.body().asString(StandardCharsets.UTF_8.name()));
      JsonNode key = body == null ? null : body.get("key");
      return key != null && key.isTextual() ? key.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A refused sign-in: the page again with the message for a form, the admin error format for JSON. */
  private static void refuse(RoutingContext ctx, boolean json, int status, String type, String message) {
    if (json) {
      error(ctx, status, type, message);
    } else {
      page(ctx, status, message);
    }
  }

  private static void page(RoutingContext ctx, int status, String message) {
    String html = message == null ? PAGE.replace("<!--message-->", "")
        : PAGE.replace("<!--message-->", "<p class=\"error\" role=\"alert\" id=\"login-error\">" + escape(message) + "</p>");
    ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store").end(html);
  }

  static void error(RoutingContext ctx, int status, String type, String message) {
    sendJson(ctx, status, new OpenAiError(message, type, null, null).toJson());
  }

  private static void sendJson(RoutingContext ctx, int status, ObjectNode body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(Json.toBuffer(body));
  }

  private static boolean isJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
  }

  private static boolean isForm(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** Our own fixed messages only; escaped all the same. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String readPage() {
    try (InputStream in = SignInRoutes.class.getClassLoader().getResourceAsStream(ConsoleRoutes.WEBROOT + "/login.html")) {
      if (in == null) {
        throw new IllegalStateException("login.html is part of the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
