package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server certificate for tests over real TLS, made by the JDK's keytool: no test key is committed. */
public final class TestCertificates {
  private TestCertificates() {}

  /** An EC P-256 key and self-signed certificate for 127.0.0.1 and localhost, in a PKCS12 store and as PEM. */
  public record SelfSigned(Path keystore, String password, Path pem) {}

  /** Writes {@code name}.p12 and {@code name}.pem into {@code dir}; valid for 2 days. */
  public static SelfSigned selfSigned(Path dir, String name, String password) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", password,
        "-file", pem.toString());
    return new SelfSigned(store, password, pem);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
