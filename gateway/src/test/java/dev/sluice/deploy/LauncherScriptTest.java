package dev.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sluice} launcher runs the JVM with the memory defaults (README "Memory and JVM
 * flags") unless {@code SLUICE_JAVA_OPTS} is set, and then with exactly what it says (empty: none);
 * {@code MALLOC_ARENA_MAX} defaults to 2 and can be overridden. Run against a copy of the script in
 * a scratch tree whose jar is up to date, with a {@code java} on the PATH that prints what it got.
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("..", "sluice");

  @TempDir
  Path tree;

  @Test
  void unsetOptionsGetTheMemoryDefaults() throws Exception {
    assertThat(run(Map.of())).isEqualTo("MALLOC_ARENA_MAX=2 args: -XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m "
        + "-XX:ReservedCodeCacheSize=64m -Xss512k -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000 -jar "
        + tree.resolve("gateway/target/sluice.jar") + " serve -c my config.yaml");
  }

  @Test
  void setOptionsReplaceTheDefaults() throws Exception {
    assertThat(run(Map.of("SLUICE_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC", "MALLOC_ARENA_MAX", "4")))
        .isEqualTo("MALLOC_ARENA_MAX=4 args: -Xmx1g -XX:+UseG1GC -jar " + tree.resolve("gateway/target/sluice.jar")
            + " serve -c my config.yaml");
  }

  @Test
  void emptyOptionsMeanTheJvmDefaults() throws Exception {
    assertThat(run(Map.of("SLUICE_JAVA_OPTS", "")))
        .isEqualTo("MALLOC_ARENA_MAX=2 args: -jar " + tree.resolve("gateway/target/sluice.jar") + " serve -c my config.yaml");
  }

  /**
   * The defaults start this JDK (17+) and each of them takes effect: with -XX:+IgnoreUnrecognizedVMOptions
   * a misspelt flag would be dropped silently, so every value is read back. Where the JDK has the
   * native-heap trimmer, it is on.
   */
  @Test
  void theDefaultsStartARealJvm() throws Exception {
    String args = run(Map.of());
    List<String> flags = List.of(args.substring("MALLOC_ARENA_MAX=2 args: ".length(), args.indexOf(" -jar ")).split(" "));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags);
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("Unrecognized VM option", "Ignoring option");
    assertThat(out)
        .containsPattern("UseSerialGC\\s+= true")
        .containsPattern(" InitialHeapSize\\s+= 50331648")
        .containsPattern(" NewSize\\s+= 33554432")
        .containsPattern(" MaxHeapSize\\s+= 536870912")
        .containsPattern("ReservedCodeCacheSize\\s+= 67108864")
        .containsPattern(" ThreadStackSize\\s+= 512 ");
    // JDK 17.0.9+ and 21.0.1+ have the trimmer; on older ones -XX:+IgnoreUnrecognizedVMOptions drops it.
    if (out.contains("TrimNativeHeapInterval")) {
      assertThat(out).containsPattern("TrimNativeHeapInterval\\s+= 5000");
    }
  }

  private String run(Map<String, String> env) throws IOException, InterruptedException {
    Files.createDirectories(tree.resolve("gateway/src/main"));
    Files.createDirectories(tree.resolve("gateway/target"));
    Files.createDirectories(tree.resolve("bin"));
    Path script = Files.copy(SCRIPT, tree.resolve("sluice"));
    Path jar = Files.writeString(tree.resolve("gateway/target/sluice.jar"), "");
    for (Path source : List.of(tree.resolve("gateway/src/main"), tree.resolve("gateway/pom.xml"), tree.resolve("pom.xml"))) {
      if (!Files.exists(source)) {
        Files.writeString(source, "");
      }
      Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(3_600)));
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    Path java = Files.writeString(tree.resolve("bin/java"), "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX args: $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb = new ProcessBuilder(script.toString(), "serve", "-c", "my config.yaml").redirectErrorStream(true);
    pb.environment().remove("SLUICE_JAVA_OPTS");
    pb.environment().remove("MALLOC_ARENA_MAX");
    pb.environment().put("PATH", tree.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes()).trim();
  }
}
