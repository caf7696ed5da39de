package io.wsk.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own sources use nothing of wsk-core but the codecs ({@code io.wsk.protocol}): the
 * server packages are the server's to change. And they stay small, one concept per file.
 */
class ClientArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/io/wsk/client");
    private static final Pattern WSK_IMPORT = Pattern.compile("\\bio\\.wsk\\.(\\w+)");

    @Test
    void usesOnlyTheProtocolPackageOfWskCore() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                Matcher m = WSK_IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals("protocol") && !m.group(1).equals("client")) {
                        offences.add(file.getFileName() + ": io.wsk." + m.group(1));
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void filesStayUnderFourHundredLinesOrSo() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            List<Path> all = files.toList();
            assertThat(all).hasSizeGreaterThan(10);
            for (Path file : all) {
                assertThat(Files.readAllLines(file)).as(file.toString()).hasSizeLessThan(420);
            }
        }
    }
}
