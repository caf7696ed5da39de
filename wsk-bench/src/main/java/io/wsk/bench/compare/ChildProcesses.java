package io.wsk.bench.compare;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process the harness started and has not stopped yet: killed when the harness exits
 * (Ctrl-C, an error), so no server or generator outlives a comparison and skews the next one.
 * Public for {@code abuse}, whose helper processes need the same.
 */
public final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "compare-child-reaper"));
    }

    private ChildProcesses() {
    }

    public static void track(Process process) {
        LIVE.add(process);
    }

    public static void forget(Process process) {
        LIVE.remove(process);
    }
}
