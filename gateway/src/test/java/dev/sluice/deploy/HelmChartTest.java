package dev.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Renders the Helm chart under {@code deploy/helm/sluice} (Helm's own template engine, bundled by
 * helm-java: no helm binary, no cluster) with its default values and with the three-replica
 * PostgreSQL + Redis example, and checks what a cluster operator relies on: probes on the paths
 * and port Sluice serves, a termination grace longer than the preStop sleep plus
 * {@code shutdown_grace}, a non-root read-only pod, secrets referenced and never inlined, a config
 * Sluice's own loader accepts, and no database of its own.
 */
class HelmChartTest {
  static final Path CHART = Path.of("../deploy/helm/sluice");
  static final Path REPLICAS_EXAMPLE = CHART.resolve("examples/replicas-postgresql-redis.yaml");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
  /** What the cluster would put in the Secrets: placeholders only, the loader needs values of the right shape. */
  private static final Map<String, String> DUMMY_ENV = Map.of(
      "SLUICE_MASTER_KEY", "sk-master-dummy-0123456789",
      "SLUICE_METRICS_KEY", "metrics-dummy-0123456789",
      "SLUICE_STORE_URL", "postgresql://sluice:dummy@postgres:5432/sluice",
      "SLUICE_REDIS_URL", "redis://:dummy@redis:6379",
      "OPENAI_API_KEY", "sk-openai-dummy",
      "ANTHROPIC_API_KEY", "sk-ant-dummy");

  @Test
  void chartPassesHelmLint() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultInstallIsOneSqliteReplicaWithProbesAndALockedDownPod() throws IOException {
    Rendered r = render(t -> t);
    JsonNode deployment = r.one("Deployment");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(r.all("HorizontalPodAutoscaler")).isEmpty();
    assertProbesAndPorts(container, 4000);
    assertLockedDown(pod, container);
    assertThat(r.all("ServiceMonitor")).isEmpty();
    assertNoDatabaseNorSecretRendered(r);

    SluiceConfig cfg = loadRenderedConfig(r);
    assertThat(cfg.server().port()).isEqualTo(4000);
    assertThat(cfg.storeUrl()).isEqualTo("sqlite:/var/lib/sluice/sluice.db");
    assertThat(cfg.flow().redisUrl()).isNull();
    assertGraceOutlastsDrain(pod, container, cfg);
    // The SQLite file and its journal sit on the writable data volume, which is the working directory.
    assertThat(container.path("workingDir").asText()).isEqualTo("/var/lib/sluice");
    assertThat(mountPaths(container)).contains("/var/lib/sluice", "/tmp", "/etc/sluice");
    assertThat(volume(pod, "data").has("emptyDir")).isTrue();
  }

  @Test
  void threeReplicasOnPostgresqlAndRedisReferenceSecretsAndScale() throws IOException {
    Rendered r = render(t -> t.withValuesFile(REPLICAS_EXAMPLE));
    JsonNode deployment = r.one("Deployment");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    // With an HPA the Deployment leaves replicas to it.
    assertThat(deployment.path("spec").has("replicas")).isFalse();
    JsonNode hpa = r.one("HorizontalPodAutoscaler").path("spec");
    assertThat(hpa.path("minReplicas").asInt()).isEqualTo(3);
    assertThat(hpa.path("maxReplicas").asInt()).isEqualTo(10);
    assertThat(hpa.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.path("scaleTargetRef").path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
    assertThat(hpa.path("metrics")).hasSize(1);
    JsonNode cpu = hpa.path("metrics").get(0).path("resource");
    assertThat(cpu.path("name").asText()).isEqualTo("cpu");
    assertThat(cpu.path("target").path("averageUtilization").asInt()).isEqualTo(70);

    JsonNode pdb = r.one("PodDisruptionBudget").path("spec");
    assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("selector").path("matchLabels")).isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));

    assertProbesAndPorts(container, 4000);
    assertLockedDown(pod, container);
    assertNoDatabaseNorSecretRendered(r);

    // Every secret is a secretKeyRef to an existing Secret; the rendered objects hold no value.
    Map<String, JsonNode> env = new java.util.HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    for (String name : List.of("SLUICE_MASTER_KEY", "SLUICE_STORE_URL", "SLUICE_REDIS_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")) {
      assertThat(env).containsKey(name);
      assertThat(env.get(name).has("value")).as(name + " inlined").isFalse();
      assertThat(env.get(name).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("sluice-secrets");
    }
    assertThat(env.get("SLUICE_STORE_URL").path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("postgresql-url");
    DUMMY_ENV.values().forEach(secret -> assertThat(r.text()).doesNotContain(secret));

    // The config reads exactly the variables the pod is given, and Sluice's own loader accepts it.
    String configText = r.configText();
    Set<String> referenced = new HashSet<>();
    Matcher m = ENV_REFERENCE.matcher(configText);
    while (m.find()) {
      referenced.add(m.group(1));
    }
    assertThat(env.keySet()).containsAll(referenced);
    SluiceConfig cfg = loadRenderedConfig(r);
    assertThat(cfg.storeUrl()).isEqualTo(DUMMY_ENV.get("SLUICE_STORE_URL"));
    assertThat(cfg.flow().redisUrl()).isEqualTo(DUMMY_ENV.get("SLUICE_REDIS_URL"));
    assertThat(cfg.flow().redisOnFailure()).isEqualTo("local");
    assertThat(cfg.flow().expectedReplicas()).isEqualTo(3);
    assertThat(cfg.server().masterKey()).isEqualTo(DUMMY_ENV.get("SLUICE_MASTER_KEY"));
    assertThat(cfg.providers()).hasSize(2);
    assertThat(cfg.skipped()).isEmpty();
    assertGraceOutlastsDrain(pod, container, cfg);
  }

  @Test
  void inFlightRequestsScaleOnTheGaugeTheGatewayExports() throws IOException {
    Rendered r = render(t -> t.withValuesFile(REPLICAS_EXAMPLE).set("autoscaling.inFlightRequests.enabled", true));
    JsonNode metrics = r.one("HorizontalPodAutoscaler").path("spec").path("metrics");
    assertThat(metrics).hasSize(2);
    JsonNode pods = metrics.get(1).path("pods");
    // The Prometheus name of GatewayMetrics' gauge "sluice.requests.in.flight" (GatewayMetricsTest reads it).
    assertThat(pods.path("metric").path("name").asText()).isEqualTo("sluice_requests_in_flight");
    assertThat(pods.path("target").path("type").asText()).isEqualTo("AverageValue");
    assertThat(pods.path("target").path("averageValue").asText()).isEqualTo("200");
  }

  @Test
  void imagesWithoutSleepUseTheKubeletSleepAction() throws IOException {
    JsonNode preStop = render(t -> t.set("shutdown.useSleepAction", true)).one("Deployment").path("spec")
        .path("template").path("spec").path("containers").get(0).path("lifecycle").path("preStop");
    assertThat(preStop.has("exec")).isFalse();
    assertThat(preStop.path("sleep").path("seconds").asInt()).isEqualTo(10);
  }

  @Test
  void serviceMonitorOnlyWhenEnabledAndSendsTheMetricsKey() throws IOException {
    assertThat(render(t -> t.withValuesFile(REPLICAS_EXAMPLE)).all("ServiceMonitor")).isEmpty();

    Rendered r = render(t -> t.withValuesFile(REPLICAS_EXAMPLE).set("serviceMonitor.enabled", true)
        .set("metricsKey.existingSecret", "sluice-metrics"));
    JsonNode endpoint = r.one("ServiceMonitor").path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("authorization").path("credentials").path("name").asText()).isEqualTo("sluice-metrics");
    assertThat(r.one("Service").path("spec").path("ports").get(0).path("name").asText()).isEqualTo("http");
    assertThat(loadRenderedConfig(r).server().metricsKey()).isEqualTo(DUMMY_ENV.get("SLUICE_METRICS_KEY"));
  }

  @Test
  void aConfigChangeChangesThePodTemplate() throws IOException {
    String before = render(t -> t).checksum();
    String after = render(t -> t.set("shutdown.graceSeconds", 45)).checksum();
    assertThat(before).isNotBlank().isNotEqualTo(after);
  }

  @Test
  void severalReplicasWithoutPostgresqlOrRedisAreRefused() {
    assertThatThrownBy(() -> render(t -> t.set("replicaCount", 3)))
        .hasMessageContaining("store.postgresql.existingSecret");
    assertThatThrownBy(() -> render(t -> t.set("replicaCount", 3).set("store.postgresql.existingSecret", "pg")))
        .hasMessageContaining("redis.existingSecret");
  }

  @Test
  void keysTheChartOwnsAreRefusedInConfig() {
    assertThatThrownBy(() -> render(t -> t.set("config.server.shutdown_grace", "5s")))
        .hasMessageContaining("config.server.shutdown_grace is set by the chart");
  }

  private static void assertProbesAndPorts(JsonNode container, int port) {
    assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo("http");
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
    assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
    }
    assertThat(container.path("args")).extracting(JsonNode::asText)
        .containsExactly("serve", "-c", "/etc/sluice/sluice.yaml");
  }

  private static void assertLockedDown(JsonNode pod, JsonNode container) {
    JsonNode podSecurity = pod.path("securityContext");
    assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(podSecurity.path("runAsUser").asInt()).isEqualTo(65532);
    JsonNode security = container.path("securityContext");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
  }

  /** SIGTERM comes after the preStop sleep; the process then drains for shutdown_grace and needs a little more to close. */
  private static void assertGraceOutlastsDrain(JsonNode pod, JsonNode container, SluiceConfig cfg) {
    JsonNode preStop = container.path("lifecycle").path("preStop").path("exec").path("command");
    assertThat(preStop.get(0).asText()).isEqualTo("sleep");
    long preStopSeconds = Long.parseLong(preStop.get(1).asText());
    assertThat(preStopSeconds).isPositive();
    Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong());
    assertThat(grace).isGreaterThan(cfg.server().shutdownGrace().plusSeconds(preStopSeconds).plusSeconds(10));
  }

  private static void assertNoDatabaseNorSecretRendered(Rendered r) {
    assertThat(r.kinds()).doesNotContain("StatefulSet", "Secret", "PersistentVolumeClaim");
    assertThat(r.all("Deployment")).hasSize(1);
    assertThat(r.text().toLowerCase(java.util.Locale.ROOT)).doesNotContain("image: postgres", "image: redis",
        "image: \"postgres", "image: \"redis", "bitnami");
  }

  private static SluiceConfig loadRenderedConfig(Rendered r) {
    return new ConfigLoader(DUMMY_ENV::get).parse(r.configText(), "rendered ConfigMap", Path.of("/etc/sluice"));
  }

  private static List<String> mountPaths(JsonNode container) {
    List<String> paths = new ArrayList<>();
    container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
    return paths;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  static Rendered render(UnaryOperator<TemplateCommand> values) throws IOException {
    String text = values.apply(new Helm(CHART).template().withName("sluice").withNamespace("llm")).call();
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    }
    return new Rendered(text, docs);
  }

  record Rendered(String text, List<JsonNode> docs) {
    List<JsonNode> all(String kind) {
      return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    JsonNode one(String kind) {
      List<JsonNode> found = all(kind);
      assertThat(found).as(kind).hasSize(1);
      return found.get(0);
    }

    List<String> kinds() {
      return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    String configText() {
      return one("ConfigMap").path("data").path("sluice.yaml").asText();
    }

    String checksum() {
      return one("Deployment").path("spec").path("template").path("metadata").path("annotations")
          .path("checksum/config").asText();
    }
  }
}
