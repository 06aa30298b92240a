package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.store.KeyHashes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the audit trail keeps and refuses to keep, apart from a running gateway. */
class AdminAuditTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void anAdminWriteRouteMountedWithoutTheAuditTrailIsRefusedAtStartUp() {
    AdminAudit audit = new AdminAudit(null, Clock.systemUTC(), new Random(1));
    Router router = Router.router(vertx);
    router.route("/admin/*").handler(ctx -> ctx.next());
    router.get("/admin/things").handler(ctx -> ctx.end());
    audit.write(router, HttpMethod.POST, "/admin/things", "thing.create", ctx -> ctx.end());
    audit.write(router, HttpMethod.DELETE, "/admin/things/:id", "thing.delete", ctx -> ctx.end());
    router.post("/v1/other").handler(ctx -> ctx.end());
    audit.requireAllWritesAudited(router); // reads, writes outside /admin and audited writes are fine

    router.patch("/admin/things/:id").handler(ctx -> ctx.end());
    assertThatThrownBy(() -> audit.requireAllWritesAudited(router)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PATCH").hasMessageContaining("/admin/things");
  }

  @Test
  void theMasterKeysActorIdIsAShortDigestNeverTheKey() {
    String master = "sk-master-0123456789abcdef";
    String actor = AdminAudit.masterActor(master);
    assertThat(actor).isEqualTo("master:" + KeyHashes.sha256Hex(master).substring(0, 8)).hasSize(15)
        .doesNotContain(master.substring(3, 11));
    assertThat(AdminAudit.masterActor(master)).as("stable").isEqualTo(actor);
    assertThat(AdminAudit.masterActor(master + "x")).isNotEqualTo(actor);
  }

  @Test
  void aViewLosesAnyPlainKeyOrHashAndTheSecretPartOfAWebhook() throws Exception {
    ObjectNode view = (ObjectNode) Json.MAPPER.readTree("""
        {"key":"sk-sluice-abc","key_hash":"00ff","id":"key_1","metadata":{"key":"kept: the admin's own data"},
         "budget":{"usd":"5.000000","alert_webhook":"https://user:pw@hooks.example.com:8443/T0/B0/tok?sig=1"}}""");
    ObjectNode scrubbed = AuditScrub.view(view);
    assertThat(scrubbed.has("key")).isFalse();
    assertThat(scrubbed.has("key_hash")).isFalse();
    assertThat(scrubbed.path("id").asText()).isEqualTo("key_1");
    assertThat(scrubbed.path("metadata").path("key").asText()).startsWith("kept");
    String hook = scrubbed.path("budget").path("alert_webhook").asText();
    assertThat(hook).startsWith("https://hooks.example.com:8443/… sha256:").doesNotContain("tok")
        .doesNotContain("pw").doesNotContain("sig");
    assertThat(AuditScrub.webhook("https://hooks.example.com/T0/B0/other")).as("another URL, another digest")
        .isNotEqualTo(AuditScrub.webhook("https://hooks.example.com/T0/B0/tok"));
    assertThat(view.has("key")).as("the answer itself is untouched").isTrue();
    assertThat(AuditScrub.view(null)).isNull();
  }
}
