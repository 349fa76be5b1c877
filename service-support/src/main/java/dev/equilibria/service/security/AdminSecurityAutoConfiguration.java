package dev.equilibria.service.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Puts the admin token filter in front of every service's {@code /admin/**} endpoints. */
@AutoConfiguration
public class AdminSecurityAutoConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public AdminTokenWebFilter adminTokenWebFilter(@Value("${equilibria.admin.token:}") String token) {
        return new AdminTokenWebFilter(token);
    }
}
