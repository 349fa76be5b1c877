package dev.equilibria.gateway.error;

/** The OpenAI error document: {@code {"error": {"message", "type", "param", "code"}}}. */
public record OpenAiError(Body error) {

    /**
     * @param param the request field at fault, or null
     * @param code  a machine-readable reason, or null
     */
    public record Body(String message, String type, String param, String code) {
    }
}
