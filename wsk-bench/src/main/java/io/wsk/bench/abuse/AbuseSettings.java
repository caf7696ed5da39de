package io.wsk.bench.abuse;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run of {@code abuse} was asked for: which server build ({@code launcher}), extra server
 * arguments, sizes ({@code quick}, {@code seconds}), the memory ceiling that stops a case early,
 * where the server logs go, the {@code java} the servers run on, and how fast {@code event-flood}'s
 * victim goes ({@code victimRate} round trips per second; 0 for as fast as it can).
 */
record AbuseSettings(Path launcher, List<String> serverArgs, boolean quick, Integer seconds, long rssLimitBytes,
                     Path logs, String java, PrintStream console, int victimRate) {
}
