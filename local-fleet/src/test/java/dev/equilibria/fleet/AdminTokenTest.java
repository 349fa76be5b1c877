package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @TempDir
    Path dir;

    @Test
    void generatesLongUrlSafeTokensThatDoNotRepeat() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = AdminToken.generate(random);
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            seen.add(token);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void usesTheEnvironmentsTokenWhenSet() {
        AdminToken token = AdminToken.resolve(Map.of("EQUILIBRIA_ADMIN_TOKEN", " s3cret "), new SecureRandom());

        assertThat(token.value()).isEqualTo("s3cret");
        assertThat(token.generated()).isFalse();
    }

    @Test
    void generatesOneWhenTheEnvironmentHasNone() {
        AdminToken unset = AdminToken.resolve(Map.of(), new SecureRandom());
        AdminToken blank = AdminToken.resolve(Map.of("EQUILIBRIA_ADMIN_TOKEN", ""), new SecureRandom());

        assertThat(unset.generated()).isTrue();
        assertThat(blank.generated()).isTrue();
        assertThat(unset.value()).isNotEqualTo(blank.value());
    }

    @Test
    void neverPrintsItselfByAccident() {
        AdminToken token = new AdminToken("do-not-log-me", true);
        assertThat(token.toString()).doesNotContain("do-not-log-me");
    }

    @Test
    void isWrittenReadableByItsOwnerOnlyAndReplacesAnOlderOne() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path file = dir.resolve("home").resolve("admin-token");

        new AdminToken("first", true).writeTo(file);
        new AdminToken("second", true).writeTo(file);

        assertThat(Files.readString(file).trim()).isEqualTo("second");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(file.resolveSibling("admin-token.tmp")).doesNotExist();
    }
}
