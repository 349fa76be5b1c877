package dev.equilibria.gateway.api;

/** A completion prompt as the client sent it: text to tokenize, or token ids ready to use. */
public sealed interface Prompt {

    record Text(String text) implements Prompt {
    }

    /** Not copied: the parser hands over a fresh array. */
    record TokenIds(int[] ids) implements Prompt {
    }
}
