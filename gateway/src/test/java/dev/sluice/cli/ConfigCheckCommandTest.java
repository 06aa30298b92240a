package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCheckCommandTest {
  @TempDir
  Path dir;

  private record Run(int code, String out) {}

  private Run check(String yaml) throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml);
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("config", "check", file.toString());
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void validFileExitsZeroWithASummary() throws Exception {
    Run r = check("providers: [ { name: m, type: mock } ]\nmodels: [ { name: x, targets: [ { provider: m, model: y } ] } ]\n");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("OK").contains("1 providers, 1 models");
  }

  @Test
  void invalidFilePrintsEveryProblemWithItsPathAndExitsOne() throws Exception {
    Run r = check("providers: [ { name: m, type: nope } ]\nmodels: [ { name: x, targets: [ { provider: q, model: y } ] } ]\nbogus: 1\n");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("3 problem(s)").contains("providers[0].type:").contains("models[0].targets[0].provider:")
        .contains("bogus: unknown key");
  }
}
