package dev.equilibria.gateway.api;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** OpenAI's answer to {@code GET /v1/models}. */
public record ModelList(String object, List<Card> data) {

    public static ModelList of(List<Card> cards) {
        return new ModelList("list", cards);
    }

    /**
     * One model.
     *
     * @param created     Unix time in seconds when its earliest live worker was first seen
     * @param maxModelLen longest prompt plus completion, in tokens (vLLM reports the same field)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Card(String id, String object, long created, String ownedBy, int maxModelLen) {

        public static final String OWNER = "equilibria";

        public static Card of(String id, long created, int maxModelLen) {
            return new Card(id, "model", created, OWNER, maxModelLen);
        }
    }
}
