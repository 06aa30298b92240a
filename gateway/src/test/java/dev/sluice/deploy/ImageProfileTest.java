package dev.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The {@code image} Maven profile (Jib) as configured in gateway/pom.xml. Building the image pulls
 * its base from a container registry, which the test build may not reach, so {@code verify} checks
 * the profile's configuration instead, and that it agrees with the Helm chart: the same user, port,
 * config path and writable directories.
 */
class ImageProfileTest {
  private static Element image;
  private static Element jib;

  @BeforeAll
  static void readProfile() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
    for (Element profile : children(child(project, "profiles"), "profile")) {
      if (text(profile, "id").equals("image")) {
        image = profile;
      }
    }
    assertThat(image).as("profile 'image'").isNotNull();
    // Only on request: `verify` must not need a registry.
    assertThat(children(image, "activation")).isEmpty();
    for (Element plugin : children(child(child(image, "build"), "plugins"), "plugin")) {
      if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
        jib = plugin;
      }
    }
    assertThat(jib).as("jib-maven-plugin in profile 'image'").isNotNull();
  }

  @Test
  void buildsAnOciTarballAtPackageWithoutADaemon() {
    assertThat(text(jib, "groupId")).isEqualTo("com.google.cloud.tools");
    assertThat(text(jib, "version")).isEqualTo("3.5.2");
    Element execution = child(child(jib, "executions"), "execution");
    assertThat(text(execution, "phase")).isEqualTo("package");
    assertThat(texts(child(execution, "goals"), "goal")).containsExactly("buildTar");
    Element config = child(jib, "configuration");
    assertThat(text(child(config, "outputPaths"), "tar")).isEqualTo("${project.build.directory}/sluice-image.tar");
    assertThat(text(child(config, "container"), "format")).isEqualTo("${image.format}");
    assertThat(text(child(image, "properties"), "image.format")).isEqualTo("OCI");
  }

  @Test
  void runsAsNonRootWithContainerJvmFlagsAndTheMountedConfig() {
    Element container = child(child(jib, "configuration"), "container");
    assertThat(text(container, "user")).isEqualTo("65532:65532");
    assertThat(text(container, "mainClass")).isEqualTo("dev.sluice.cli.Main");
    assertThat(texts(child(container, "jvmFlags"), "jvmFlag"))
        .contains("-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")
        // the memory defaults of ./sluice (README "Memory and JVM flags")
        .contains("-XX:+UseSerialGC", "-Xms48m", "-Xmn32m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k",
            "-XX:TrimNativeHeapInterval=5000")
        // no tight free-heap bounds: they made 8,000 open streams a full collection every 1-2 s
        .noneMatch(flag -> flag.startsWith("-XX:MinHeapFreeRatio") || flag.startsWith("-XX:MaxHeapFreeRatio"));
    assertThat(text(child(container, "environment"), "MALLOC_ARENA_MAX")).isEqualTo("2");
    assertThat(texts(child(container, "args"), "arg")).containsExactly("serve", "-c", "/etc/sluice/sluice.yaml");
  }

  @Test
  void agreesWithTheHelmChart() throws Exception {
    Element container = child(child(jib, "configuration"), "container");
    JsonNode pod = HelmChartTest.render(t -> t).one("Deployment").path("spec").path("template").path("spec");
    JsonNode c = pod.path("containers").get(0);

    assertThat(pod.path("securityContext").path("runAsUser").asText() + ":"
        + pod.path("securityContext").path("runAsGroup").asText()).isEqualTo(text(container, "user"));
    assertThat(texts(child(container, "ports"), "port")).containsExactly(c.path("ports").get(0).path("containerPort").asText());
    assertThat(c.path("args")).extracting(JsonNode::asText).containsExactlyElementsOf(texts(child(container, "args"), "arg"));
    assertThat(c.path("workingDir").asText()).isEqualTo(text(container, "workingDirectory"));
    // The chart's default preStop hook runs `sleep` from the image: a base with coreutils (not distroless).
    assertThat(c.path("lifecycle").path("preStop").path("exec").path("command").get(0).asText()).isEqualTo("sleep");
    assertThat(text(child(image, "properties"), "image.base")).isEqualTo("eclipse-temurin:21-jre");
    // Every directory the image declares writable is a volume in the pod (its root filesystem is read-only).
    List<String> mounts = new ArrayList<>();
    c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
    assertThat(mounts).containsAll(texts(child(container, "volumes"), "volume"));
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as(parent.getTagName() + "/" + name).hasSize(1);
    return found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }

  private static List<String> texts(Element parent, String name) {
    return children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
  }
}
