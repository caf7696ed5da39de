package io.wsk.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code interop/} directory: the official npm packages, pinned by its
 * {@code package-lock.json}, and the Node scripts that tests run as real peers.
 *
 * <p>{@link #directory()} installs the packages with {@code npm ci} the first time a JVM asks, unless
 * the installed tree already matches the lock file. A file lock in {@code interop/} keeps JVMs
 * running at the same time (Maven modules, an IDE) from installing over each other.
 */
public final class Interop {

    /** What to do when {@code node} or {@code npm} is missing. */
    public static final String NODE_INSTALL_HINT = "install Node.js and npm: apt-get install -y nodejs npm";

    private static final Logger log = LoggerFactory.getLogger(Interop.class);
    private static final String STAMP = ".wsk-installed";
    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    private static Path installed;

    private Interop() {
    }

    /** {@code <repo>/interop}, with its packages installed. */
    public static synchronized Path directory() {
        if (installed == null) {
            Path dir = repoRoot().resolve("interop");
            install(dir);
            installed = dir;
        }
        return installed;
    }

    /** The repository root: the nearest directory above {@code user.dir} holding {@code interop/package.json}. */
    public static Path repoRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop").resolve("package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no interop/package.json in " + start + " or any directory above it");
    }

    private static void install(Path dir) {
        Executables.require("node", NODE_INSTALL_HINT);
        Path npm = Executables.require("npm", NODE_INSTALL_HINT);
        try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            String wanted = lockDigest(dir);
            Path stamp = dir.resolve("node_modules").resolve(STAMP);
            if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(wanted)) {
                log.debug("interop packages already installed in {}", dir);
                return;
            }
            runNpmCi(npm, dir);
            Files.writeString(stamp, wanted);
        } catch (IOException e) {
            throw new UncheckedIOException("installing the interop packages in " + dir, e);
        }
    }

    private static void runNpmCi(Path npm, Path dir) throws IOException {
        log.info("installing the interop packages: npm ci in {}", dir);
        Path output = Files.createTempFile("wsk-npm-ci", ".log");
        try {
            Process process = new ProcessBuilder(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            boolean exited = process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            if (!exited || process.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir
                        + (exited ? " failed with exit code " + process.exitValue() : " took over "
                        + INSTALL_TIMEOUT_MINUTES + " minutes") + ":\n" + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running npm ci", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** What the install is made from: the lock file (and package.json, which npm ci checks against it). */
    private static String lockDigest(Path dir) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(dir.resolve("package.json")));
            Path lock = dir.resolve("package-lock.json");
            if (!Files.isRegularFile(lock)) {
                throw new IllegalStateException(lock + " is missing: run npm install in " + dir + " and commit it");
            }
            sha.update(Files.readAllBytes(lock));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
