package dev.equilibria.service.config;

import java.io.IOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Adds the settings every service shares (Kafka bootstrap from {@code KAFKA_BOOTSTRAP_SERVERS}, String
 * serialisers, actuator exposure) with the lowest precedence, so a service's own application.yml, the
 * environment and the command line all override them.
 */
public class FleetDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String DEFAULTS = "equilibria-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Resource resource = new ClassPathResource(DEFAULTS);
        try {
            new PropertiesPropertySourceLoader().load("equilibriaDefaults", resource)
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS, e);
        }
    }
}
