package dev.equilibria.monitor.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Describes the admin API for springdoc; the document is served at {@code /admin/openapi.json}. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    public static final String ADMIN_TOKEN = "adminToken";

    @Bean
    public OpenAPI monitorOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Equilibria monitor-service").version("1")
                        .description("Regime detection, efficiency indices and the adaptive routing controller."
                                + " Admin paths need 'Authorization: Bearer $EQUILIBRIA_ADMIN_TOKEN'; invalid input"
                                + " gets an RFC 7807 problem document."))
                .components(new Components().addSecuritySchemes(ADMIN_TOKEN,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
    }
}
