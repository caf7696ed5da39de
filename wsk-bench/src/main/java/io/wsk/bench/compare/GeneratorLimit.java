package io.wsk.bench.compare;

import java.util.Locale;

/**
 * Whether the load generator, rather than the server, may have set a figure: past about 70 % of
 * the cores it may use, its own event loops start queueing, and throughput it reports is its own
 * ceiling (then the server's CPU per operation is the fairer figure).
 */
final class GeneratorLimit {

    static final double BUSY = 0.7;

    private GeneratorLimit() {
    }

    /** Notes {@code what} when the generator used more than {@link #BUSY} of its cores ({@code cores} used). */
    static void check(Mode mode, String what, double coresUsed, Findings findings) {
        int cores = mode.generatorCores();
        if (coresUsed > BUSY * cores) {
            findings.note(String.format(Locale.US, "%s: the generator used %.0f %% of its %d core%s, so it may be "
                            + "the limit; compare the server's CPU per operation", what, 100 * coresUsed / cores, cores,
                    cores == 1 ? "" : "s"));
        }
    }
}
