package dev.sluice.spring;

import dev.sluice.embed.Sluice;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

/**
 * Makes {@code sluice.base-url} ({@code http://127.0.0.1:PORT}) a property other configuration can
 * refer to, e.g. {@code spring.ai.openai.base-url: ${sluice.base-url}}, even on a free port.
 *
 * <p>The port is known only once the gateway listens, so the property is resolved on demand: the
 * first bean whose configuration reads it during the context's refresh gets the {@link Sluice}
 * bean, which starts it. Before the refresh (and without a {@code Sluice} bean) the property is
 * absent. It has the lowest precedence: a {@code sluice.base-url} set by hand wins.
 */
public class SluiceBaseUrlInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  public static final String PROPERTY = "sluice.base-url";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    context.getEnvironment().getPropertySources().addLast(new BaseUrlSource(context));
  }

  static final class BaseUrlSource extends PropertySource<ConfigurableApplicationContext> {
    BaseUrlSource(ConfigurableApplicationContext context) {
      super("sluiceBaseUrl", context);
    }

    @Override
    public Object getProperty(String name) {
      if (!PROPERTY.equals(name) || !source.isActive()) {
        return null;
      }
      try {
        return source.getBeanFactory().getBean(Sluice.class).baseUrl();
      } catch (NoSuchBeanDefinitionException e) {
        return null;
      }
    }
  }
}
