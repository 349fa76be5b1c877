package dev.equilibria.gateway.admin;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** Describes the admin API for springdoc, which serves the document at {@code /admin/openapi.json}. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Equilibria gateway admin API", version = "1",
        description = "Live router configuration, workers, drain and undrain. Every call needs"
                + " 'Authorization: Bearer <EQUILIBRIA_ADMIN_TOKEN>'. Errors are RFC 7807 problems."))
@SecurityScheme(name = AdminOpenApi.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer")
public class AdminOpenApi {

    public static final String BEARER = "admin-token";
}
