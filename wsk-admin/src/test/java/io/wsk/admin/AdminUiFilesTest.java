package io.wsk.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsk.testkit.Interop;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI files wsk serves are the npm package's own, byte for byte: {@code @socket.io/admin-ui}
 * as pinned in {@code interop/package-lock.json} (source maps left out), with its license.
 */
class AdminUiFilesTest {

    private static final Path PACKAGE = Interop.directory().resolve("node_modules/@socket.io/admin-ui");

    @Test
    void theServedFilesAreThePackagesOwn() throws IOException {
        String version = new ObjectMapper().readTree(PACKAGE.resolve("package.json").toFile()).path("version").asText();
        assertThat(version).as("the pinned package is the one the files come from").isEqualTo(AdminUiFiles.PACKAGE_VERSION);
        Path dist = PACKAGE.resolve("ui/dist");
        List<String> expected;
        try (Stream<Path> files = Files.walk(dist)) {
            expected = files.filter(Files::isRegularFile).map(p -> dist.relativize(p).toString())
                    .filter(name -> !name.endsWith(".map")).sorted().toList();
        }
        AdminUiFiles served = new AdminUiFiles("/admin/");
        assertThat(served.names()).containsExactlyInAnyOrderElementsOf(
                Stream.of(expected.stream(), Stream.of("LICENSE"), AdminUiFiles.ICON_FILES.stream()).flatMap(s -> s).toList());
        for (String name : expected) {
            assertThat(resource("ui/" + name)).as(name).isEqualTo(Files.readAllBytes(dist.resolve(name)));
        }
        assertThat(resource("ui/LICENSE")).isEqualTo(Files.readAllBytes(PACKAGE.resolve("LICENSE")));
    }

    @Test
    void theIconFontIsThePackagesOwn() throws IOException {
        Path icons = Interop.directory().resolve("node_modules/@mdi/font");
        String version = new ObjectMapper().readTree(icons.resolve("package.json").toFile()).path("version").asText();
        assertThat(version).isEqualTo(AdminUiFiles.ICONS_VERSION);
        for (String name : AdminUiFiles.ICON_FILES) {
            assertThat(resource(name)).as(name).isEqualTo(Files.readAllBytes(icons.resolve(name.substring("mdi/".length()))));
        }
        // The page's only link to a CDN for what it cannot do without, pointed at the copy.
        assertThat(Files.readString(PACKAGE.resolve("ui/dist/index.html"))).contains(AdminUiFiles.CDN_ICONS);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AdminUiFiles.class.getResourceAsStream("/io/wsk/admin/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
