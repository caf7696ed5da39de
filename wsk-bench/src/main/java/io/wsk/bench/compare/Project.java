package io.wsk.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files of the wsk repository the harness runs: the server's and the generator's jars, the
 * launcher, and the reference servers (Node's script, netty-socketio's jar).
 */
final class Project {

    static final String NODE_INSTALL_HINT = "install Node.js and npm: apt-get install -y nodejs npm";

    private final Path root;

    private Project(Path root) {
        this.root = root;
    }

    /**
     * The repository at {@code given}, or else the one holding the running wsk-bench jar, or else
     * the nearest directory above the working directory that looks like one.
     */
    static Project locate(Path given) {
        if (given != null) {
            if (!looksLikeRoot(given)) {
                throw new IllegalStateException(given + " is not the wsk repository (no ./wsk and interop/bench/server.mjs)");
            }
            return new Project(given.toAbsolutePath().normalize());
        }
        for (Path start : List.of(runningJarDirectory().orElse(Path.of("")), Path.of(""))) {
            for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (looksLikeRoot(dir)) {
                    return new Project(dir.normalize());
                }
            }
        }
        throw new IllegalStateException("cannot find the wsk repository above " + Path.of("").toAbsolutePath()
                + "; run from inside it or pass --root");
    }

    Path root() {
        return root;
    }

    /** {@code ./wsk}: servers run through it, so they get exactly the JVM flags operators get. */
    Path launcher() {
        return root.resolve("wsk");
    }

    Path serverJar() {
        return root.resolve("wsk-app/target/wsk.jar");
    }

    Path benchJar() {
        return root.resolve("wsk-bench/target/wsk-bench.jar");
    }

    /** netty-socketio with the bench handlers ({@code wsk-bench-nsio}), run through {@code ./wsk bench-nsio}. */
    Path nettySocketIoJar() {
        return root.resolve("wsk-bench-nsio/target/wsk-bench-nsio.jar");
    }

    Path nodeServer() {
        return root.resolve("interop/bench/server.mjs");
    }

    /** @throws IllegalStateException when a jar a run against {@code references} needs is missing, with how to build it */
    void requireJars(List<ServerKind> references) {
        List<Path> jars = new ArrayList<>(List.of(serverJar(), benchJar()));
        if (references.contains(ServerKind.NETTY_SOCKETIO)) {
            jars.add(nettySocketIoJar());
        }
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build it with"
                        + " mvn -B -DskipTests -pl wsk-app,wsk-bench,wsk-bench-nsio -am package (./wsk bench does this)");
            }
        }
    }

    /**
     * The version of {@code groupId:artifactId} shaded into {@code jar} (its Maven properties), or
     * "unknown": what the netty-socketio reference really ran, read from the jar that ran it.
     */
    static String shadedVersion(Path jar, String groupId, String artifactId) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
            if (entry == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Installs interop's pinned npm packages with {@code npm ci} when they are not there yet. */
    void ensureNodePackages(PrintStream out) {
        Path interop = root.resolve("interop");
        if (Files.isDirectory(interop.resolve("node_modules/socket.io"))
                && Files.isDirectory(interop.resolve("node_modules/@socket.io/redis-adapter"))) {
            return;
        }
        Path npm = Programs.require("npm", NODE_INSTALL_HINT);
        out.println("compare: installing the interop packages (npm ci in " + interop + ")");
        try {
            Process process = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                    .directory(interop.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + interop + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("running npm ci in " + interop, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The version of npm package {@code name} pinned by {@code interop/package-lock.json}, or "unknown". */
    String lockedVersion(String name) {
        try {
            String lock = Files.readString(root.resolve("interop/package-lock.json"));
            Matcher m = Pattern.compile("\"node_modules/" + Pattern.quote(name) + "\"\\s*:\\s*\\{\\s*\"version\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(lock);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static boolean looksLikeRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("wsk")) && Files.isRegularFile(dir.resolve("interop/bench/server.mjs"));
    }

    private static Optional<Path> runningJarDirectory() {
        try {
            Path location = Path.of(Project.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(location.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
