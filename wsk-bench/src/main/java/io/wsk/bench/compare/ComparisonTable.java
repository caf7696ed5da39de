package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.List;

/** One mode's figures as a table: scenario, metric, wsk, Node, wsk/Node, target, met? — for the terminal and for markdown. */
final class ComparisonTable {

    private static final List<String> HEADER = List.of("scenario", "metric", "wsk", "Node", "wsk/Node", "target", "met?");

    private ComparisonTable() {
    }

    static String text(ModeResult result) {
        List<List<String>> rows = rows(result);
        int[] widths = new int[HEADER.size()];
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
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>(rows.get(r));
            if (r > 0 && !row.get(6).isEmpty()) {
                row.set(6, "**" + row.get(6) + "**");
            }
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
            if (r == 0) {
                out.append("|---|---|--:|--:|--:|--:|:-:|\n");
            }
        }
        return out.toString();
    }

    private static List<List<String>> rows(ModeResult result) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        String previous = null;
        for (Figure figure : result.figures()) {
            // The scenario's name only on its first row: the table reads in groups.
            String scenario = figure.scenario().equals(previous) ? "" : figure.scenario();
            previous = figure.scenario();
            rows.add(List.of(scenario, figure.metric(), format(figure, figure.wsk()), format(figure, figure.node()),
                    figure.ratioText(), figure.target() == null ? "" : figure.target().text(), figure.verdict().text()));
        }
        return rows;
    }

    private static String format(Figure figure, Value value) {
        return value == null ? "—" : value.format(figure.unit());
    }
}
