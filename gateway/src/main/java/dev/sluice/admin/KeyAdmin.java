package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.KeyHashes;
import dev.sluice.store.KeyUpdate;
import dev.sluice.store.NewKey;
import dev.sluice.store.StoredKey;
import dev.sluice.tenancy.KeyPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code /admin/keys}: create (the plain key is in that answer and nowhere else, ever), list, show
 * (both with each key's spend this budget period and last-minute headroom: {@link SpendHeadroom}),
 * change and revoke stored client keys. Every change makes the gateway forget the key's cached
 * state before the answer is sent ({@link GatewayView#keyChanged}), so a revoked key is refused by
 * the very next request on this replica, and moments later on the others when Redis is configured.
 */
final class KeyAdmin {
  static final String PREFIX = "sk-sluice-";
  /** 43 base62 characters carry 256 random bits (62^43 > 2^256). */
  static final int RANDOM_CHARS = 43;
  /** What an error may repeat of an unknown id: ids are {@code key_} and 20 hex digits; a plain key never looks so. */
  private static final java.util.regex.Pattern ID_SHAPED = java.util.regex.Pattern.compile("key_[a-z0-9]{1,24}");
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final Set<String> CREATE_FIELDS = Set.of("name", "team", "models", "limits", "priority",
      "allow_priority_header", "budget", "metadata", "expires_at");
  private static final Set<String> PATCH_FIELDS = Set.of("team", "models", "limits", "priority",
      "allow_priority_header", "budget", "metadata", "expires_at");

  private final GatewayView view;
  private final Clock clock;
  private final RandomGenerator random;
  private final AdminAudit audit;

  KeyAdmin(GatewayView view, Clock clock, RandomGenerator random, AdminAudit audit) {
    this.view = view;
    this.clock = clock;
    this.random = random;
    this.audit = audit;
  }

  void mount(Router router) {
    audit.write(router, HttpMethod.POST, "/admin/keys", "key.create", this::create);
    router.get("/admin/keys").handler(this::list);
    router.get("/admin/keys/:id").handler(this::show);
    audit.write(router, HttpMethod.PATCH, "/admin/keys/:id", "key.update", this::update);
    audit.write(router, HttpMethod.DELETE, "/admin/keys/:id", "key.revoke", this::revoke);
  }

  /** A new plain key: {@code sk-sluice-} and 43 characters drawn uniformly from base62. */
  static String newPlainKey(RandomGenerator random) {
    char[] out = new char[RANDOM_CHARS];
    for (int i = 0; i < out.length; i++) {
      out[i] = BASE62[random.nextInt(BASE62.length)];
    }
    return PREFIX + new String(out);
  }

  /**
   * The key a {@code POST /admin/keys} body asks for, with the given id and plain key, created at
   * {@code now}; an {@link AdminInput.Invalid} (the admin's 400) names the first bad field.
   */
  static NewKey readNewKey(io.vertx.core.buffer.Buffer body, String id, String plain, Instant now) {
    ObjectNode b = AdminInput.object(body, CREATE_FIELDS);
    KeyPolicy policy = KeyPolicy.DEFAULT
        .withLimits(AdminInput.limits(b.get("limits"), "limits", dev.sluice.config.LimitsConfig.NONE))
        .withPriority(AdminInput.priority(b.get("priority"), "priority"))
        .withAllowPriorityHeader(AdminInput.bool(b.get("allow_priority_header"), "allow_priority_header"));
    Instant expires = AdminInput.instant(b.get("expires_at"), "expires_at");
    if (expires != null && !expires.isAfter(now)) {
      throw new AdminInput.Invalid("expires_at", "expires_at must be in the future");
    }
    return NewKey.fromPlainKey(id, plain, AdminInput.name(b.get("name"), "name"), now)
        .team(AdminInput.optionalName(b.get("team"), "team"))
        .models(AdminInput.models(b.get("models"), "models"))
        .limitsJson(policy.toJson())
        .budget(AdminInput.budget(b.get("budget"), "budget", Set.of()))
        .metadataJson(AdminInput.metadata(b.get("metadata"), "metadata"))
        .expiresAt(expires)
        .build();
  }

  private void create(RoutingContext ctx) {
    Instant now = clock.instant();
    String plain = newPlainKey(random);
    NewKey key;
    try {
      key = readNewKey(ctx.body().buffer(), KeyHashes.newId(random), plain, now);
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    // No cache to invalidate: 256 fresh random bits cannot have been presented (and remembered as
    // unknown) before this moment.
    AdminAudit.trail(ctx).target(key.id());
    view.store().keys().insert(key)
        .onSuccess(stored -> {
          ObjectNode shown = AdminViews.key(stored, now);
          AdminAudit.trail(ctx).after(shown); // without the plain key
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          o.put("key", plain);
          o.setAll(shown);
          json(ctx, 201, o);
        })
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void list(RoutingContext ctx) {
    for (String p : ctx.queryParams().names()) {
      if (!"team".equals(p)) {
        AdminErrors.invalid(ctx, p, "Unknown parameter '" + p + "'; allowed: team");
        return;
      }
    }
    Instant now = clock.instant();
    view.store().keys().list(ctx.queryParams().get("team"))
        .compose(keys -> SpendHeadroom.keys(view.store().ledger(), keys, now))
        .onSuccess(keys -> json(ctx, 200, AdminViews.list(keys)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    view.store().keys().findById(id).onSuccess(found -> {
      if (found.isEmpty()) {
        unknown(ctx, id);
      } else {
        SpendHeadroom.keys(view.store().ledger(), List.of(found.get()), clock.instant())
            .onSuccess(shown -> json(ctx, 200, shown.get(0)))
            .onFailure(e -> AdminErrors.storeFailed(ctx, e));
      }
    }).onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ObjectNode body;
    try {
      body = AdminInput.object(ctx.body().buffer(), PATCH_FIELDS);
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().keys().findById(id).onSuccess(found -> {
      if (found.isEmpty()) {
        unknown(ctx, id);
        return;
      }
      AdminAudit.trail(ctx).before(AdminViews.key(found.get(), clock.instant()));
      KeyUpdate change;
      try {
        change = change(body, found.get());
      } catch (AdminInput.Invalid e) {
        AdminErrors.invalid(ctx, e.param, e.getMessage());
        return;
      }
      view.store().keys().update(id, change)
          .compose(ok -> view.store().keys().findById(id))
          .compose(after -> view.keyChanged(found.get().keyHash()).map(after))
          .onSuccess(after -> {
            if (after.isEmpty()) {
              unknown(ctx, id);
            } else {
              ObjectNode shown = AdminViews.key(after.get(), clock.instant());
              AdminAudit.trail(ctx).after(shown);
              withSpend(ctx, after.get(), shown);
            }
          })
          .onFailure(e -> AdminErrors.storeFailed(ctx, e));
    }).onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  /** The fields sent, applied over the key as stored; a field sent as null clears it. */
  static KeyUpdate change(ObjectNode b, StoredKey current) {
    KeyUpdate.Builder u = KeyUpdate.builder();
    if (b.has("team")) {
      u.team(AdminInput.optionalName(b.get("team"), "team"));
    }
    if (b.has("models")) {
      u.models(AdminInput.models(b.get("models"), "models"));
    }
    KeyPolicy policy = KeyPolicy.parse(current.limitsJson());
    KeyPolicy changed = policy;
    if (b.has("limits")) {
      changed = changed.withLimits(AdminInput.limits(b.get("limits"), "limits", policy.limits()));
    }
    if (b.has("priority")) {
      changed = changed.withPriority(AdminInput.priority(b.get("priority"), "priority"));
    }
    if (b.has("allow_priority_header")) {
      changed = changed.withAllowPriorityHeader(AdminInput.bool(b.get("allow_priority_header"), "allow_priority_header"));
    }
    if (!changed.equals(policy)) {
      u.limitsJson(changed.toJson());
    }
    if (b.has("budget")) {
      u.budget(AdminInput.budget(b.get("budget"), "budget", Set.of()));
    }
    if (b.has("metadata")) {
      u.metadataJson(AdminInput.metadata(b.get("metadata"), "metadata"));
    }
    if (b.has("expires_at")) {
      u.expiresAt(AdminInput.instant(b.get("expires_at"), "expires_at"));
    }
    return u.build();
  }

  private void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Instant now = clock.instant();
    view.store().keys().findById(id).onSuccess(found -> {
      if (found.isEmpty()) {
        unknown(ctx, id);
        return;
      }
      AdminAudit.trail(ctx).before(AdminViews.key(found.get(), now));
      // Revoking twice is harmless: the first revocation time is kept.
      view.store().keys().revoke(id, now)
          .compose(v -> view.store().keys().findById(id))
          .compose(after -> view.keyChanged(found.get().keyHash()).map(after))
          .onSuccess(after -> {
            ObjectNode shown = AdminViews.key(after.orElse(found.get()), clock.instant());
            AdminAudit.trail(ctx).after(shown);
            withSpend(ctx, after.orElse(found.get()), shown);
          })
          .onFailure(e -> AdminErrors.storeFailed(ctx, e));
    }).onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  /**
   * Answers a change with the key as {@code GET /admin/keys/{id}} shows it, spend and headroom
   * included; if the ledger cannot be read, the change is done all the same: the key without them.
   */
  private void withSpend(RoutingContext ctx, StoredKey key, ObjectNode shown) {
    SpendHeadroom.keys(view.store().ledger(), List.of(key), clock.instant())
        .map(list -> list.get(0))
        .otherwise(shown)
        .onSuccess(body -> json(ctx, 200, body));
  }

  private static void unknown(RoutingContext ctx, String id) {
    // Only an id-shaped value is repeated: a plain key sent where its id belongs must not come back.
    AdminErrors.notFound(ctx, looksLikeKeyId(id) ? "No key with id '" + id + "'" : "No key with this id");
  }

  /** Whether {@code id} may be repeated in an answer or kept in the audit log: a plain key never looks so. */
  static boolean looksLikeKeyId(String id) {
    return id != null && ID_SHAPED.matcher(id).matches();
  }

  /** Answers with {@code body}; on an admin write, after its audit entry is completed ({@link AdminAudit#send}). */
  static void json(RoutingContext ctx, int status, ObjectNode body) {
    AdminAudit.send(ctx, status, Json.toBuffer(body), null);
  }
}
