package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import dev.sluice.upstream.OutboundDecision.Allowed;
import dev.sluice.upstream.OutboundDecision.Reason;
import dev.sluice.upstream.OutboundDecision.Refused;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF corpus ({@code src/test/resources/outbound/ssrf-corpus.txt}): every URL form an attacker
 * might use to reach an internal address, and the public and trusted URLs that must still work,
 * each with the guard's expected decision. Names resolve through a fake resolver (see the file's
 * header), so no test depends on real DNS.
 */
class OutboundGuardCorpusTest {
  static final List<String> TRUSTED = List.of("trusted.example.test", "127.0.0.1:8080", "[::1]:9000", "10.0.0.7");
  static final Map<String, List<InetAddress>> NAMES = Map.ofEntries(
      Map.entry("public.example.test", List.of(ip("8.8.8.8"))),
      Map.entry("public6.example.test", List.of(ip("2606:4700:4700::1111"))),
      Map.entry("internal.example.test", List.of(ip("10.0.0.5"))),
      Map.entry("loopback.example.test", List.of(ip("127.0.0.1"))),
      Map.entry("localhost", List.of(ip("127.0.0.1"))),
      Map.entry("metadata.example.test", List.of(ip("169.254.169.254"))),
      Map.entry("cgnat.example.test", List.of(ip("100.64.0.1"))),
      Map.entry("mixed.example.test", List.of(ip("8.8.8.8"), ip("10.0.0.5"))),
      Map.entry("mapped.example.test", List.of(mappedV6(127, 0, 0, 1))),
      Map.entry("nat64.example.test", List.of(ip("64:ff9b::a00:5"))),
      Map.entry("ula.example.test", List.of(ip("fd00::5"))),
      Map.entry("trusted.example.test", List.of(ip("10.0.0.7"))));

  /** A resolver that knows {@link #NAMES} and nothing else, and counts its lookups. */
  static final class FakeResolver implements OutboundResolver {
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Future<List<InetAddress>> resolve(String name) {
      asked.add(name);
      List<InetAddress> a = NAMES.get(name);
      return a == null ? Future.failedFuture(new UnknownHostException(name + ": Name or service not known"))
          : Future.succeededFuture(a);
    }
  }

  final FakeResolver resolver = new FakeResolver();
  final OutboundGuard guard = new OutboundGuard(TRUSTED, resolver);

  static Stream<Arguments> corpus() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = OutboundGuardCorpusTest.class.getResourceAsStream("/outbound/ssrf-corpus.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int bar = line.lastIndexOf(" | ");
        assertThat(bar).as("corpus line without ' | ': %s", line).isGreaterThanOrEqualTo(0);
        out.add(Arguments.of(line.substring(0, bar), line.substring(bar + 3).strip()));
      }
    }
    return out.stream();
  }

  @Test
  void theCorpusCoversEveryFormTheIssueNames() throws IOException {
    List<String> urls = corpus().map(a -> (String) a.get()[0]).toList();
    assertThat(urls).hasSizeGreaterThanOrEqualTo(150)
        .contains("https://2130706433/", "https://0177.0.0.1/", "https://127.1/", "https://0x7f.1/",
            "https://[::ffff:127.0.0.1]/", "https://[64:ff9b::a00:5]/", "https://[2002:7f00:1::]/",
            "https://public.example.test@127.0.0.1/", "https://127.0.0.1#@public.example.test/",
            "https://internal.example.test/", "https://[fe80::1]/", "https://169.254.169.254/latest/meta-data/");
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @MethodSource("corpus")
  void theGuardDecidesEachCorpusUrlAsExpected(String url, String expected) throws Exception {
    OutboundDecision d = Await.await(guard.decide(url));
    String[] want = expected.split(" ");
    if (want[0].equals("allowed")) {
      assertThat(d).as(describe(d)).isInstanceOf(Allowed.class);
      assertThat(((Allowed) d).address()).isEqualTo(InetAddress.getByName(want[1]));
    } else {
      assertThat(want[0]).isEqualTo("refused");
      assertThat(d).as("expected a refusal").isInstanceOf(Refused.class);
      Refused r = (Refused) d;
      assertThat(r.reason()).as(r.message()).isEqualTo(Reason.valueOf(want[1]));
      if (r.reason() == Reason.ADDRESS) {
        assertThat(r.range()).as(r.message()).isEqualTo(AddressRange.valueOf(want[2]));
      }
      assertThat(r.message()).isNotBlank().doesNotContain("meta-data", "/hook");
    }
  }

  /** What the admin API checks when a URL is stored must never contradict the decision at send time. */
  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("corpus")
  void screeningAtWriteTimeAgreesWithTheDecisionAtSendTime(String url, String expected) {
    int lookupsBefore = resolver.asked.size();
    Optional<Refused> screened = guard.screen(url);
    assertThat(resolver.asked).as("screening never resolves").hasSize(lookupsBefore);
    OutboundDecision d = Await.await(guard.decide(url));
    if (screened.isPresent()) {
      assertThat(d).isInstanceOf(Refused.class);
      assertThat(((Refused) d).reason()).isEqualTo(screened.get().reason());
    }
    if (d instanceof Allowed) {
      assertThat(screened).isEmpty();
    }
    if (d instanceof Refused r && r.reason() != Reason.ADDRESS && r.reason() != Reason.UNRESOLVED) {
      assertThat(screened).as("refused by its text alone: at write time already").isPresent();
    }
  }

  @Test
  void aNameIsResolvedOnceAndALiteralNever() {
    Await.await(guard.decide("https://public.example.test/a"));
    Await.await(guard.decide("https://8.8.8.8/a"));
    Await.await(guard.decide("https://[2606:4700:4700::1111]/a"));
    assertThat(resolver.asked).containsExactly("public.example.test");
  }

  @Test
  void theAllowedUrlKeepsTheHostForTheHostHeaderAndDropsTheFragment() {
    Allowed a = (Allowed) Await.await(guard.decide("https://Public.Example.Test:8443/hooks/x?y=1#frag"));
    assertThat(a.url().host()).isEqualTo("public.example.test");
    assertThat(a.url().authority()).isEqualTo("public.example.test:8443");
    assertThat(a.url().pathAndQuery()).isEqualTo("/hooks/x?y=1");
    assertThat(a.url().origin()).isEqualTo("https://public.example.test:8443");
    Allowed v6 = (Allowed) Await.await(guard.decide("https://[2606:4700:4700::1111]"));
    assertThat(v6.url().authority()).isEqualTo("[2606:4700:4700::1111]");
    assertThat(v6.url().pathAndQuery()).isEqualTo("/");
  }

  @Test
  void refusalsSayWhatWasRefusedAndWhy() {
    Refused name = (Refused) Await.await(guard.decide("https://internal.example.test/secret-token"));
    assertThat(name.message()).contains("internal.example.test resolves to 10.0.0.5", "private address",
        "outbound.trusted_hosts").doesNotContain("secret-token");
    Refused mapped = (Refused) Await.await(guard.decide("https://[64:ff9b::7f00:1]/"));
    assertThat(mapped.message()).contains("loopback", "127.0.0.1");
    Refused octal = guard.screen("https://0177.0.0.1/").orElseThrow();
    assertThat(octal.message()).contains("0177.0.0.1", "canonical");
  }

  @Test
  void aTrustedHostEntryThatIsNoHostIsRefusedNamingIt() {
    for (String bad : List.of("http://x.test", "x.test/path", "x.test:0", "x.test:99999", "[::1", "user@x.test", "")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OutboundGuard(List.of(bad), resolver))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outbound.trusted_hosts");
    }
  }

  private static String describe(OutboundDecision d) {
    return d instanceof Refused r ? "refused: " + r.message() : d.toString();
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ::ffff:a.b.c.d kept as an IPv6 address (InetAddress.getByAddress would turn it into IPv4). */
  private static InetAddress mappedV6(int a, int b, int c, int d) {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
