package dev.sluice.spring;

import dev.sluice.config.SluiceConfig;
import dev.sluice.embed.Sluice;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Starts an embedded {@link Sluice} from {@link SluiceProperties} when the application context
 * starts and drains it when the context closes ({@link Sluice#close()} as the bean's destroy
 * method). On unless {@code sluice.enabled=false}; an application's own {@code Sluice} bean wins.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "sluice", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SluiceProperties.class)
public class SluiceAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Sluice sluice(SluiceProperties properties) {
    return Sluice.start(config(properties));
  }

  static SluiceConfig config(SluiceProperties properties) {
    boolean file = properties.getConfig() != null;
    boolean inline = properties.getConfigYaml() != null && !properties.getConfigYaml().isBlank();
    if (file == inline) {
      throw new IllegalStateException(file
          ? "sluice.config and sluice.config-yaml are both set: set one"
          : "the embedded Sluice needs its config: set sluice.config (a file) or sluice.config-yaml (inline),"
              + " or sluice.enabled=false");
    }
    SluiceConfig config = file ? SluiceConfig.load(properties.getConfig()) : SluiceConfig.fromYaml(properties.getConfigYaml());
    return properties.getPort() == null ? config : config.withPort(properties.getPort());
  }
}
