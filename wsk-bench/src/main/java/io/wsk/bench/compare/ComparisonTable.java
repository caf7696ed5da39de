package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One mode's figures as a table, for the terminal and for markdown: scenario, metric, wsk and each
 * reference server, wsk's ratio to each reference, then the target (on wsk/Node) and whether it
 * was met. A server that cannot run a scenario reads "not supported", one that gave no figure "—".
 */
final class ComparisonTable {

    static final String NOT_SUPPORTED = "not supported";

    private ComparisonTable() {
    }

    static String text(ModeResult result) {
        List<List<String>> rows = rows(result);
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                int pad = widths[i] - cell.codePointCount(0, cell.length());
                // Text left, numbers right.
                if (i < 2) {
                    line.append(cell).append(" ".repeat(pad));
                } else {
                    line.append(" ".repeat(pad)).append(cell);
                }
                line.append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        for (String note : result.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    static String markdown(ModeResult result) {
        List<List<String>> rows = rows(result);
        int verdict = rows.get(0).size() - 1;
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>(rows.get(r));
            if (r > 0 && !row.get(verdict).isEmpty()) {
                row.set(verdict, "**" + row.get(verdict) + "**");
            }
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
            if (r == 0) {
                out.append("|---|---|").append("--:|".repeat(row.size() - 3)).append(":-:|\n");
            }
        }
        return out.toString();
    }

    /** The header: scenario, metric, each server, wsk/each reference, target, met?. */
    static List<String> header(ModeResult result) {
        List<String> header = new ArrayList<>(List.of("scenario", "metric"));
        result.servers().forEach(kind -> header.add(kind.label()));
        result.references().forEach(kind -> header.add("wsk/" + kind.label()));
        header.addAll(List.of("target", "met?"));
        return header;
    }

    private static List<List<String>> rows(ModeResult result) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(header(result));
        String previous = null;
        for (Figure figure : result.figures()) {
            List<String> row = new ArrayList<>();
            // The scenario's name only on its first row: the table reads in groups.
            row.add(figure.scenario().equals(previous) ? "" : figure.scenario());
            previous = figure.scenario();
            row.add(figure.metric());
            for (ServerKind kind : result.servers()) {
                row.add(format(figure, kind));
            }
            for (ServerKind kind : result.references()) {
                row.add(figure.ratioText(kind));
            }
            row.add(figure.target() == null ? "" : figure.target().text());
            // The targets are ratios to Node: without Node in the run, none is decided.
            row.add(result.references().contains(ServerKind.NODE) || figure.target() == null ? figure.verdict().text()
                    : Figure.Verdict.UNKNOWN.text());
            rows.add(row);
        }
        return rows;
    }

    private static String format(Figure figure, ServerKind kind) {
        if (!figure.supported(kind)) {
            return NOT_SUPPORTED;
        }
        Value value = figure.of(kind);
        return value == null ? "—" : value.format(figure.unit());
    }
}
