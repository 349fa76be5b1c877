package dev.equilibria.gateway.api;

/**
 * One message of a chat completion request.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or {@code tool} ({@code developer} reads as system)
 * @param content its text (text parts of a multi-part content joined)
 */
public record ChatMessage(String role, String content) {
}
