package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML in, Jackson trees out. SnakeYAML resolves anchors and merge keys ({@code <<}) as docker compose does and
 * refuses duplicate keys, which a YAML file would otherwise silently collapse.
 */
final class Yamls {

    static final ObjectMapper JSON = new ObjectMapper();

    private Yamls() {
    }

    static JsonNode load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode parse(String yaml) {
        return JSON.valueToTree(yaml().load(yaml));
    }

    /** Every non-empty document of a multi-document stream (helm template output). */
    static List<JsonNode> parseAll(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    static String dump(Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new Representer(options), options).dump(JSON.convertValue(value, Object.class));
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(100);
        return new Yaml(new SafeConstructor(options));
    }
}
