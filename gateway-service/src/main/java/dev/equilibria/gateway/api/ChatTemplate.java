package dev.equilibria.gateway.api;

import java.util.List;

/**
 * Renders chat messages as one prompt text in the Llama-3 chat format, header tokens written as text:
 * <pre>
 * &lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;
 * &lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;
 * &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n
 * </pre>
 * (without the line breaks between messages). The open assistant header at the end is where generation starts.
 * The gateway's BPE tokenizer reads the markers as ordinary text, so a user cannot smuggle control tokens in; two
 * chats that share their first messages share a token prefix, which is what prefix caching needs.
 */
public final class ChatTemplate {

    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    public static final String START_HEADER = "<|start_header_id|>";
    public static final String END_HEADER = "<|end_header_id|>";
    public static final String END_OF_TURN = "<|eot_id|>";

    private ChatTemplate() {
    }

    public static String render(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder(BEGIN_OF_TEXT);
        for (ChatMessage message : messages) {
            header(text, message.role()).append(message.content()).append(END_OF_TURN);
        }
        return header(text, "assistant").toString();
    }

    private static StringBuilder header(StringBuilder text, String role) {
        return text.append(START_HEADER).append(role).append(END_HEADER).append("\n\n");
    }
}
