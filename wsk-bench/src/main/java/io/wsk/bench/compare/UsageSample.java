package io.wsk.bench.compare;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** CPU seconds used so far by some processes, read at one moment. */
record UsageSample(long nanoTime, Map<Long, Double> cpuSeconds) {

    static UsageSample take(Collection<Long> pids) {
        Map<Long, Double> cpu = new HashMap<>();
        for (long pid : pids) {
            cpu.put(pid, ProcessUsage.cpuSeconds(pid));
        }
        return new UsageSample(System.nanoTime(), Map.copyOf(cpu));
    }

    /** Wall seconds from {@code earlier} to this sample. */
    double secondsSince(UsageSample earlier) {
        return (nanoTime - earlier.nanoTime) / 1e9;
    }

    /** CPU seconds {@code pids} used from {@code earlier} to this sample (NaN if one was not read). */
    double cpuSecondsSince(UsageSample earlier, Collection<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            Double before = earlier.cpuSeconds.get(pid);
            Double after = cpuSeconds.get(pid);
            if (before == null || after == null || before < 0 || after < 0) {
                return Double.NaN;
            }
            total += after - before;
        }
        return total;
    }
}
