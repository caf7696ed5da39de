package io.wsk.bench.compare;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one mode of the comparison found, with the box's load average before and after, so a
 * run on a busy machine shows as one.
 *
 * @param references the reference servers wsk was measured against, in column order
 */
record ModeResult(Mode mode, List<ServerKind> references, List<Figure> figures, List<String> notes, String loadBefore,
                  String loadAfter, Duration took) {

    ModeResult {
        references = List.copyOf(references);
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
    }

    /** The figures the issue sets targets for, in run order. */
    List<Figure> targeted() {
        return figures.stream().filter(f -> f.target() != null).toList();
    }

    /** wsk and the references, in column order. */
    List<ServerKind> servers() {
        return ServerKind.withWsk(references);
    }

    /**
     * The server CPU per operation that goes with a throughput or latency figure: the first
     * CPU-per-operation row after it in the same scenario (each scenario declares it right after
     * its rate). Empty for memory figures and where the scenario measured none.
     */
    Optional<Figure> cpuPerOperation(Figure figure) {
        if (figure.unit() == Unit.CPU_MICROS || figure.unit() == Unit.BYTES) {
            return Optional.empty();
        }
        int index = figures.indexOf(figure);
        for (int i = index + 1; index >= 0 && i < figures.size(); i++) {
            Figure next = figures.get(i);
            if (!next.scenario().equals(figure.scenario())) {
                break;
            }
            if (next.unit() == Unit.CPU_MICROS) {
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }
}
