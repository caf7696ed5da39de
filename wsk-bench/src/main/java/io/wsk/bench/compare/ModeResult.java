package io.wsk.bench.compare;

import java.time.Duration;
import java.util.List;

/**
 * Everything one mode of the comparison found, with the box's load average before and after, so a
 * run on a busy machine shows as one.
 */
record ModeResult(Mode mode, List<Figure> figures, List<String> notes, String loadBefore, String loadAfter,
                  Duration took) {

    /** The figures the issue sets targets for, in run order. */
    List<Figure> targeted() {
        return figures.stream().filter(f -> f.target() != null).toList();
    }
}
