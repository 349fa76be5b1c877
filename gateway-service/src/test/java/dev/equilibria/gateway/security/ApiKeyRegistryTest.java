package dev.equilibria.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.gateway.config.GatewayProperties;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

    private static final String KEY_A = "sk-test-aaaaaaaaaaaaaaaa";
    private static final String KEY_B = "sk-test-bbbbbbbbbbbbbbbb";

    @Test
    void readsKeysFromTheSettingAndTheFileWithTheirOwnOrTheDefaultLimits() {
        Map<Path, String> files = Map.of(Path.of("/keys"), "# team keys\n\nteam-b:" + KEY_B + ":5:7\n");
        ApiKeyRegistry registry = ApiKeyRegistry.from(new GatewayProperties.ApiKeys(true, "team-a:" + KEY_A,
                "/keys", 3.0, 4), files::get, () -> 0);

        assertThat(registry.enabled()).isTrue();
        assertThat(registry.size()).isEqualTo(2);
        ApiKeyRegistry.Client a = registry.find(KEY_A).orElseThrow();
        assertThat(a.name()).isEqualTo("team-a");
        assertThat(a.bucket().rate()).isEqualTo(3.0);
        assertThat(a.bucket().burst()).isEqualTo(4);
        ApiKeyRegistry.Client b = registry.find(KEY_B).orElseThrow();
        assertThat(b.bucket().rate()).isEqualTo(5.0);
        assertThat(b.bucket().burst()).isEqualTo(7);
        assertThat(registry.find(KEY_A + "x")).isEmpty();
        assertThat(registry.find(KEY_A.substring(1))).isEmpty();
        assertThat(registry.find("")).isEmpty();
    }

    @Test
    void errorsNameTheEntryButNeverTheKey() {
        for (String bad : new String[] {"team-a:" + KEY_A + ":fast", "team a:" + KEY_A, "team-a:" + KEY_A + ":0",
                KEY_A, "team-a:" + KEY_A + ":1:2:3:4", "team-a:" + KEY_A + ",team-a:" + KEY_B,
                "team-a:" + KEY_A + ",team-b:" + KEY_A}) {
            assertThatThrownBy(() -> ApiKeySpec.parseAll(bad, "keys"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_A).doesNotContain(KEY_B));
        }
        assertThatThrownBy(() -> ApiKeySpec.parseAll("team-a:short", "keys"))
                .hasMessageContaining("at least " + ApiKeySpec.MIN_KEY_LENGTH).hasMessageNotContaining("short");
    }

    @Test
    void enabledWithoutAnyKeyStopsStartup() {
        assertThatThrownBy(() -> ApiKeyRegistry.from(new GatewayProperties.ApiKeys(true, "", "", null, null),
                path -> "", () -> 0)).hasMessageContaining("no key is configured");
        assertThat(ApiKeyRegistry.from(new GatewayProperties.ApiKeys(null, null, null, null, null), path -> "",
                () -> 0).enabled()).isFalse();
    }

    @Test
    void settingsAndSpecsNeverPrintKeys() {
        assertThat(new GatewayProperties.ApiKeys(true, "a:" + KEY_A, "", null, null).toString()).doesNotContain(KEY_A);
        assertThat(ApiKeySpec.parseAll("a:" + KEY_A, "keys").get(0).toString()).doesNotContain(KEY_A);
    }
}
