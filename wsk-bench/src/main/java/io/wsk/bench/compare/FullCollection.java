package io.wsk.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a server's runtime for a full garbage collection, so that its RSS shows what it keeps
 * rather than how much garbage it had not yet collected: wsk and netty-socketio through
 * {@code jcmd <pid> GC.run} (the JDK the harness runs on, which also runs the servers), Node through {@code SIGUSR2}, which
 * {@code interop/bench/server.mjs} answers with {@code global.gc()} (it runs with
 * {@code --expose-gc}). Each runtime then returns what it freed to the operating system on its
 * own schedule (G1 uncommits in the background, V8 releases pages after a major GC), hence the
 * pause before the caller reads the RSS.
 */
final class FullCollection {

    /** How long after the collection the RSS is read. */
    static final long SETTLE_MILLIS = 3000;

    private FullCollection() {
    }

    /**
     * Collects and waits {@link #SETTLE_MILLIS}; {@code null} when done, else why the collection
     * could not be requested (nothing waited).
     */
    static String run(ServerKind kind, ServerProcess server) throws InterruptedException {
        try {
            List<String> command = kind.jvm()
                    ? List.of(jcmd().toString(), Long.toString(server.pid()), "GC.run")
                    : List.of("kill", "-USR2", Long.toString(server.pid()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish in 60 s";
            }
            if (process.exitValue() != 0) {
                return String.join(" ", command) + " exited with " + process.exitValue();
            }
        } catch (IOException | IllegalStateException e) {
            return e.getMessage();
        }
        Thread.sleep(SETTLE_MILLIS);
        return null;
    }

    /** {@code jcmd} beside the {@code java} this harness runs on. */
    private static Path jcmd() {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the harness"));
        Path jcmd = java.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IllegalStateException("no jcmd beside " + java + ": compare needs a JDK, not a JRE");
        }
        return jcmd;
    }
}
