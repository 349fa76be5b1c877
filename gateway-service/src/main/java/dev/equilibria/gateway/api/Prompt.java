package dev.equilibria.gateway.api;

import java.util.List;

/** A prompt as the client sent it: text to tokenize, token ids ready to use, or chat messages to template. */
public sealed interface Prompt {

    record Text(String text) implements Prompt {
    }

    /** Not copied: the parser hands over a fresh array. */
    record TokenIds(int[] ids) implements Prompt {
    }

    /** A chat, rendered through {@link ChatTemplate} before tokenization. */
    record Chat(List<ChatMessage> messages) implements Prompt {
    }
}
