package dev.sluice.spring;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code sluice.*} in {@code application.yaml}: where the embedded gateway's config comes from and
 * the port it listens on. Exactly one of {@code config} and {@code config-yaml} is set.
 *
 * <p>The gateway's address is not one of these: it is known once the gateway runs, and is read
 * as the property {@code sluice.base-url} (see {@link SluiceBaseUrlInitializer}).
 */
@ConfigurationProperties("sluice")
public class SluiceProperties {
  /** Starts the embedded gateway (default true). */
  private boolean enabled = true;
  /** A Sluice config file ({@code sluice.yaml}), as {@code sluice serve -c} reads it. */
  private Path config;
  /** The Sluice config itself, inline. */
  private String configYaml;
  /** Overrides the config's {@code server.port}; 0 takes a free port. */
  private Integer port;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Path getConfig() {
    return config;
  }

  public void setConfig(Path config) {
    this.config = config;
  }

  public String getConfigYaml() {
    return configYaml;
  }

  public void setConfigYaml(String configYaml) {
    this.configYaml = configYaml;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
