package io.wsk.app;

import io.wsk.testkit.Interop;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./wsk} launcher started three times at once on a tree without a jar (a local
 * cluster's three nodes, as docs/OPERATIONS.md starts them): one Maven build, three runs.
 * Before the build lock, three builds wrote into one {@code target/} and two runs died.
 */
class LauncherIT {

    @Test
    void threeLaunchersAtOnceBuildOnceAndAllRun() throws Exception {
        Path root = Interop.repoRoot();
        Path copy = Files.createTempDirectory("wsk-launcher");
        try {
            launchThreeAtOnce(root, copy);
        } finally {
            try (var walk = Files.walk(copy)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void launchThreeAtOnce(Path root, Path copy) throws Exception {
        for (String file : trackedFiles(root)) {
            Path target = copy.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(root.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        List<Process> launchers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            launchers.add(new ProcessBuilder("bash", copy.resolve("wsk").toString(), "--version")
                    .directory(copy.toFile()).redirectErrorStream(true)
                    .redirectOutput(copy.resolve("launcher-" + i + ".out").toFile()).start());
        }
        int builds = 0;
        for (int i = 0; i < 3; i++) {
            Process launcher = launchers.get(i);
            assertThat(launcher.waitFor(5, TimeUnit.MINUTES)).as("launcher %d done", i).isTrue();
            String output = Files.readString(copy.resolve("launcher-" + i + ".out"));
            assertThat(launcher.exitValue()).as("launcher %d\n%s", i, output).isZero();
            assertThat(output).as("launcher %d ran the jar", i).contains("wsk ");
            if (output.contains("wsk: building")) {
                builds++;
            }
        }
        assertThat(builds).as("Maven builds").isEqualTo(1);
    }

    private static List<String> trackedFiles(Path root) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files").redirectErrorStream(true).start();
        List<String> files = new String(git.getInputStream().readAllBytes()).lines()
                .filter(name -> Files.isRegularFile(root.resolve(name))).toList();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git ls-files in %s", root).isZero();
        assertThat(files).contains("wsk", "pom.xml");
        return files;
    }
}
