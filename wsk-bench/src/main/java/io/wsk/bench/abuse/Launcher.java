package io.wsk.bench.abuse;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds this repository's {@code ./wsk}: above the running jar (or classes), else above the working directory. */
final class Launcher {

    private Launcher() {
    }

    static Path locate() {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            // only the working directory then
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path wsk = dir.resolve("wsk");
                if (Files.isRegularFile(wsk) && Files.isDirectory(dir.resolve("wsk-app"))) {
                    return wsk;
                }
            }
        }
        throw new IllegalStateException("cannot find the wsk launcher above " + Path.of("").toAbsolutePath()
                + "; pass --launcher");
    }
}
