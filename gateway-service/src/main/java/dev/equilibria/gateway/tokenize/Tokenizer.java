package dev.equilibria.gateway.tokenize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;

/**
 * Turns prompt text into token ids and generated token ids back into text, with a jtokkit BPE encoding.
 * Thread-safe. Special-token markers in user text (such as {@code <|endoftext|>}) are tokenized as plain text,
 * so a prompt cannot smuggle control tokens in.
 */
public final class Tokenizer {

    /** UTF-8 of U+FFFD, the text of a token id the encoding does not know. */
    static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private final String encodingName;
    private final Encoding encoding;

    /**
     * @throws IllegalArgumentException when jtokkit has no encoding of that name
     */
    public Tokenizer(String encodingName) {
        EncodingType type = EncodingType.fromName(encodingName)
                .orElseThrow(() -> new IllegalArgumentException("unknown tokenizer encoding '" + encodingName + "'"));
        this.encodingName = type.getName();
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
    }

    public String encodingName() {
        return encodingName;
    }

    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    /**
     * The bytes a token stands for. A token may end in the middle of a multi-byte character; see
     * {@link IncrementalDetokenizer}. Ids the encoding does not know (a worker's model may have a larger vocabulary)
     * read as U+FFFD rather than failing the request.
     */
    public byte[] tokenBytes(int tokenId) {
        IntArrayList one = new IntArrayList(1);
        one.add(tokenId);
        try {
            return encoding.decodeBytes(one);
        } catch (RuntimeException unknownToken) {
            return REPLACEMENT;
        }
    }

    public String decode(int[] tokenIds) {
        IncrementalDetokenizer detokenizer = detokenizer();
        StringBuilder text = new StringBuilder();
        for (int id : tokenIds) {
            text.append(detokenizer.next(id));
        }
        return text.append(detokenizer.flush()).toString();
    }

    /** A fresh decoder for one stream of tokens. */
    public IncrementalDetokenizer detokenizer() {
        return new IncrementalDetokenizer(this);
    }
}
