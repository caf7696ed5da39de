package io.wsk.bench.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's live heap: {@code jcmd <pid> GC.run} (a full collection, so only what is still
 * referenced remains), then the "used" figure of {@code jcmd <pid> GC.heap_info}. RSS alone
 * cannot tell retained objects from heap the JVM merely keeps committed; this can.
 */
final class LiveHeap {

    private static final Pattern USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private LiveHeap() {
    }

    /** Live heap bytes after a full GC, or -1 (with the reason on stderr) when jcmd failed. */
    static long afterFullGc(long pid) {
        try {
            run(List.of(jcmd(), Long.toString(pid), "GC.run"));
            String info = run(List.of(jcmd(), Long.toString(pid), "GC.heap_info"));
            Matcher m = USED.matcher(info);
            if (!m.find()) {
                System.err.println("abuse: no heap figure in jcmd GC.heap_info: " + info.trim());
                return -1;
            }
            return Long.parseLong(m.group(1)) * 1024;
        } catch (IOException | IllegalStateException e) {
            System.err.println("abuse: jcmd failed: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + text.trim());
        }
        return text;
    }

    /** {@code jcmd} beside the {@code java} this harness runs on, which also runs the servers; else the PATH's. */
    private static String jcmd() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }
}
