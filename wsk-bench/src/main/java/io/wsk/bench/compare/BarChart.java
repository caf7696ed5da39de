package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The comparison at a glance, as an SVG written by hand: for each figure with a target, one row
 * with a bar for wsk and for each reference server on the same scale, each with the server's CPU
 * per operation beside its figure, a dashed line where wsk's bar has to reach (or stay under) to
 * meet the target, and wsk's ratio to each reference; the wsk/Node one (the target's) green when
 * met and red when not.
 */
final class BarChart {

    private static final int WIDTH = 980;
    private static final int BAR_X = 110;
    private static final int BAR_WIDTH = 560;
    private static final int RIGHT_X = 700;
    private static final int BAR_PITCH = 26;
    private static final int MODE_HEADER = 34;
    private static final String MET = "#2e7d32";
    private static final String NOT_MET = "#c62828";
    private static final String UNKNOWN = "#b7791f";
    private static final String NODE = "#9e9e9e";
    private static final String NETTY_SOCKETIO = "#7986cb";
    private static final String INK = "#263238";

    private BarChart() {
    }

    static String svg(String title, List<ModeResult> results) {
        int height = 78 + 28;
        for (ModeResult result : results) {
            height += MODE_HEADER + rowHeight(result) * Math.max(1, result.targeted().size());
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.US, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" fill=\"%s\">%n",
                WIDTH, height, WIDTH, height, INK));
        svg.append(String.format(Locale.US, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        text(svg, 20, 30, 20, "bold", "start", INK, title);
        legend(svg, 20, 56, references(results));
        int y = 78;
        for (ModeResult result : results) {
            text(svg, 20, y + 22, 15, "bold", "start", INK, "Mode " + result.mode().label() + ": "
                    + result.mode().summary());
            y += MODE_HEADER;
            if (result.targeted().isEmpty()) {
                text(svg, BAR_X, y + 30, 13, "normal", "start", INK, "no figure with a target was run in this mode");
                y += rowHeight(result);
            }
            for (Figure figure : result.targeted()) {
                row(svg, y, result, figure);
                y += rowHeight(result);
            }
        }
        text(svg, 20, y + 16, 11, "normal", "start", "#607d8b",
                "Each row is scaled to the largest of its bars and the target; the targets are wsk/Node ratios. All servers "
                        + "were measured in the same run on the same machine; the tables hold every figure.");
        return svg.append("</svg>\n").toString();
    }

    /** A title line, a bar per server, and room for the target's label. */
    private static int rowHeight(ModeResult result) {
        return 40 + BAR_PITCH * result.servers().size();
    }

    private static void row(StringBuilder svg, int y, ModeResult result, Figure figure) {
        boolean higherBetter = figure.target().atLeast();
        text(svg, 20, y + 16, 13, "bold", "start", INK, figure.scenario() + ": " + figure.metric()
                + (higherBetter ? " (higher is better)" : " (lower is better)"));
        String color = switch (figure.verdict()) {
            case MET -> MET;
            case NOT_MET -> NOT_MET;
            default -> UNKNOWN;
        };
        double targetValue = figure.node() == null ? 0 : figure.node().amount() * figure.target().ratio();
        double scale = targetValue;
        for (ServerKind kind : result.servers()) {
            scale = Math.max(scale, amount(figure.of(kind)));
        }
        scale *= 1.08;
        Optional<Figure> cpu = result.cpuPerOperation(figure);
        int barY = y + 24;
        for (ServerKind kind : result.servers()) {
            bar(svg, barY, kind, figure, cpu, scale, kind == ServerKind.WSK ? color : colorOf(kind));
            barY += BAR_PITCH;
        }
        if (targetValue > 0 && scale > 0) {
            double x = BAR_X + BAR_WIDTH * targetValue / scale;
            svg.append(String.format(Locale.US, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"5,3\"/>%n", x, y + 20, x, barY - 2, INK));
            text(svg, (int) x + 4, barY + 8, 10, "normal", "start", INK, "target: " + figure.target().text() + " Node");
        }
        ratios(svg, y, result, figure, color);
    }

    /** wsk/Node large (the target's), then wsk's ratio to each other reference. */
    private static void ratios(StringBuilder svg, int y, ModeResult result, Figure figure, String color) {
        String verdict = switch (figure.verdict()) {
            case MET -> "met";
            case NOT_MET -> "not met";
            default -> "undecided";
        };
        int lineY = y + 44;
        if (result.references().contains(ServerKind.NODE)) {
            text(svg, RIGHT_X, lineY, 24, "bold", "start", color, figure.ratioText(ServerKind.NODE));
            text(svg, RIGHT_X, lineY + 18, 12, "normal", "start", color,
                    "wsk/Node; target " + figure.target().text() + ": " + verdict);
            lineY += 38;
        }
        for (ServerKind kind : result.references()) {
            if (kind == ServerKind.NODE) {
                continue;
            }
            String ratio = figure.supported(kind) ? figure.ratioText(kind) : ComparisonTable.NOT_SUPPORTED;
            text(svg, RIGHT_X, lineY, 14, "bold", "start", INK, "wsk/" + kind.label() + ": " + ratio);
            lineY += 20;
        }
    }

    private static void bar(StringBuilder svg, int y, ServerKind kind, Figure figure, Optional<Figure> cpu, double scale,
                            String color) {
        text(svg, 20, y + 14, 12, "normal", "start", INK, kind.label());
        Value value = figure.of(kind);
        if (!figure.supported(kind)) {
            text(svg, BAR_X, y + 14, 12, "italic", "start", INK, ComparisonTable.NOT_SUPPORTED);
            return;
        }
        if (value == null || scale <= 0) {
            text(svg, BAR_X, y + 14, 12, "italic", "start", INK, "no figure");
            return;
        }
        double width = Math.max(1, BAR_WIDTH * value.amount() / scale);
        svg.append(String.format(Locale.US, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" rx=\"2\" fill=\"%s\"/>%n",
                BAR_X, y, width, color));
        String label = value.format(figure.unit()) + cpu.map(c -> c.of(kind)).map(c -> " · server CPU "
                + c.format(Unit.CPU_MICROS) + "/op").orElse("");
        // The value sits after the bar, or inside its end when it would not fit before the ratios.
        if (BAR_X + width + 6 + label.length() * 6.5 > RIGHT_X - 8) {
            text(svg, (int) (BAR_X + width - 6), y + 14, 12, "bold", "end", "#ffffff", label);
        } else {
            text(svg, (int) (BAR_X + width + 6), y + 14, 12, "normal", "start", INK, label);
        }
    }

    private static void legend(StringBuilder svg, int x, int y, Set<ServerKind> references) {
        List<String[]> items = new ArrayList<>(List.of(new String[]{MET, "wsk, target met"},
                new String[]{NOT_MET, "wsk, target not met"},
                new String[]{UNKNOWN, "wsk, undecided (a bound or a missing figure)"}));
        for (ServerKind kind : references) {
            items.add(new String[]{colorOf(kind), kind == ServerKind.NODE ? "Node (socket.io)" : kind.label()});
        }
        for (String[] item : items) {
            svg.append(String.format(Locale.US, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 10, item[0]));
            text(svg, x + 17, y, 12, "normal", "start", INK, item[1]);
            x += 30 + item[1].length() * 7;
        }
    }

    private static Set<ServerKind> references(List<ModeResult> results) {
        Set<ServerKind> references = new LinkedHashSet<>();
        results.forEach(result -> references.addAll(result.references()));
        return references;
    }

    private static String colorOf(ServerKind kind) {
        return kind == ServerKind.NETTY_SOCKETIO ? NETTY_SOCKETIO : NODE;
    }

    private static double amount(Value value) {
        return value == null ? 0 : value.amount();
    }

    private static void text(StringBuilder svg, int x, int y, int size, String style, String anchor, String color,
                             String content) {
        String weight = style.equals("bold") ? " font-weight=\"bold\"" : style.equals("italic") ? " font-style=\"italic\"" : "";
        svg.append(String.format(Locale.US, "<text x=\"%d\" y=\"%d\" font-size=\"%d\"%s text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
                x, y, size, weight, anchor, color, escape(content)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
