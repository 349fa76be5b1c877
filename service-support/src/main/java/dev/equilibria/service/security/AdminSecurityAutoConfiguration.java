package dev.equilibria.service.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Puts the admin token filter in front of every service's {@code /admin/**} endpoints. */
@AutoConfiguration
public class AdminSecurityAutoConfiguration {

    /** Right after the CORS filter (preflight requests carry no token), before every other filter. */
    public static final int ADMIN_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    @Order(AdminSecurityAutoConfiguration.ADMIN_FILTER_ORDER)
    public AdminTokenWebFilter adminTokenWebFilter(@Value("${equilibria.admin.token:}") String token) {
        return new AdminTokenWebFilter(token);
    }
}
