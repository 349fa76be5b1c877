package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Helm's way with values: dotted keys to nested maps, and a values file overlaid on another. */
final class Values {

    private Values() {
    }

    /** {@code {"kafka.bootstrapServers": "x"}} to {@code {kafka: {bootstrapServers: x}}}. */
    static ObjectNode nest(Map<String, ?> dotted) {
        ObjectNode root = Yamls.JSON.createObjectNode();
        dotted.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
            node.set(parts[parts.length - 1], Yamls.JSON.valueToTree(value));
        });
        return root;
    }

    /** {@code overlay} over {@code base} as {@code helm -f base -f overlay}: maps merge, anything else replaces. */
    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode baseObject) || !overlay.isObject()) {
            return overlay.deepCopy();
        }
        ObjectNode merged = baseObject.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else if (merged.has(field.getKey())) {
                merged.set(field.getKey(), merge(merged.get(field.getKey()), field.getValue()));
            } else {
                merged.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return merged;
    }
}
