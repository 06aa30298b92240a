package dev.sluice;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.admin.AdminInputFuzzTest;
import dev.sluice.admission.O200kCounterFuzzTest;
import dev.sluice.config.ConfigLoaderFuzzTest;
import dev.sluice.pipeline.EmbeddingsRequestFuzzTest;
import dev.sluice.provider.ProviderAnswerFuzzTest;
import dev.sluice.server.OpenAiFrontDoorFuzzTest;
import dev.sluice.server.anthropic.AnthropicFrontDoorFuzzTest;
import dev.sluice.upstream.SseFramerFuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuzzing pass of {@code ./mvnw verify}: every fuzz target in one JVM. Jazzer fuzzes one
 * {@code @FuzzTest} per JVM, and each start costs seconds (its agent scans the whole class path), so
 * eight JVMs would spend most of the pass starting up. Here byte 0 of an input picks the target
 * ({@link #TARGETS}, modulo their number) and the rest is that target's input, so coverage guides
 * the fuzzer across all of them. The seeds are every target's own seed corpus, each prefixed with
 * its target's byte. A finding is reproduced on its target alone by dropping the first byte.
 *
 * <p>Not run with the other tests: its seeds are the targets' own, which they run themselves.
 */
class AllTargetsFuzzTest {
  /** Seed directory (under the test class path) and entry point of each target; the index is its byte. */
  private static final List<Target> TARGETS = List.of(
      new Target("dev/sluice/server/OpenAiFrontDoorFuzzTestInputs/chatRequestBodies",
          OpenAiFrontDoorFuzzTest::oneInput),
      new Target("dev/sluice/pipeline/EmbeddingsRequestFuzzTestInputs/embeddingsRequestBodies",
          EmbeddingsRequestFuzzTest::oneInput),
      new Target("dev/sluice/server/anthropic/AnthropicFrontDoorFuzzTestInputs/messagesRequestBodies",
          AnthropicFrontDoorFuzzTest::oneInput),
      new Target("dev/sluice/upstream/SseFramerFuzzTestInputs/anySplitGivesTheEventsOfTheWhole",
          SseFramerFuzzTest::oneInput),
      new Target("dev/sluice/provider/ProviderAnswerFuzzTestInputs/providerAnswers",
          ProviderAnswerFuzzTest::oneInput),
      new Target("dev/sluice/config/ConfigLoaderFuzzTestInputs/configFiles", ConfigLoaderFuzzTest::oneInput),
      new Target("dev/sluice/admin/AdminInputFuzzTestInputs/adminBodies", AdminInputFuzzTest::oneInput),
      new Target("dev/sluice/admission/O200kCounterFuzzTestInputs/piecesAndCountsAreJtokkits",
          O200kCounterFuzzTest::oneInput));

  private record Target(String seeds, Consumer<byte[]> oneInput) {}

  @MethodSource("seeds")
  @FuzzTest
  void everyTarget(byte[] input) {
    if (input.length == 0) {
      return;
    }
    TARGETS.get(Math.floorMod(input[0], TARGETS.size())).oneInput().accept(Arrays.copyOfRange(input, 1, input.length));
  }

  /** Every target's seeds, each behind its target's byte. */
  static Stream<Arguments> seeds() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < TARGETS.size(); i++) {
      for (Path seed : files(TARGETS.get(i).seeds())) {
        byte[] bytes = read(seed);
        byte[] input = new byte[bytes.length + 1];
        input[0] = (byte) i;
        System.arraycopy(bytes, 0, input, 1, bytes.length);
        out.add(Arguments.of((Object) input));
      }
    }
    return out.stream();
  }

  private static List<Path> files(String resourceDir) {
    URL url = AllTargetsFuzzTest.class.getClassLoader().getResource(resourceDir);
    if (url == null) {
      throw new IllegalStateException("no seed directory " + resourceDir + " on the test class path");
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
