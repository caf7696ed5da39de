package io.wsk.bench.compare;

import java.util.List;
import java.util.Locale;

/**
 * The comparison at a glance, as an SVG written by hand: for each figure with a target, one row
 * with a wsk bar and a Node bar on the same scale, a dashed line where wsk's bar has to reach (or
 * stay under) to meet the target, and the ratio, green when met and red when not.
 */
final class BarChart {

    private static final int WIDTH = 960;
    private static final int BAR_X = 70;
    private static final int BAR_WIDTH = 600;
    private static final int RIGHT_X = 700;
    private static final int ROW_HEIGHT = 92;
    private static final int MODE_HEADER = 34;
    private static final String MET = "#2e7d32";
    private static final String NOT_MET = "#c62828";
    private static final String UNKNOWN = "#b7791f";
    private static final String NODE = "#9e9e9e";
    private static final String INK = "#263238";

    private BarChart() {
    }

    static String svg(String title, List<ModeResult> results) {
        int height = 78 + 28;
        for (ModeResult result : results) {
            height += MODE_HEADER + ROW_HEIGHT * Math.max(1, result.targeted().size());
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.US, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" fill=\"%s\">%n",
                WIDTH, height, WIDTH, height, INK));
        svg.append(String.format(Locale.US, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        text(svg, 20, 30, 20, "bold", "start", INK, title);
        legend(svg, 20, 56);
        int y = 78;
        for (ModeResult result : results) {
            text(svg, 20, y + 22, 15, "bold", "start", INK, "Mode " + result.mode().label() + ": "
                    + result.mode().summary());
            y += MODE_HEADER;
            if (result.targeted().isEmpty()) {
                text(svg, BAR_X, y + 30, 13, "normal", "start", INK, "no figure with a target was run in this mode");
                y += ROW_HEIGHT;
            }
            for (Figure figure : result.targeted()) {
                row(svg, y, figure);
                y += ROW_HEIGHT;
            }
        }
        text(svg, 20, y + 16, 11, "normal", "start", "#607d8b",
                "Each row is scaled to the largest of wsk, Node and the target. Both servers were measured in the same "
                        + "run on the same machine; the tables hold every figure.");
        return svg.append("</svg>\n").toString();
    }

    private static void row(StringBuilder svg, int y, Figure figure) {
        boolean higherBetter = figure.target().atLeast();
        text(svg, 20, y + 16, 13, "bold", "start", INK, figure.scenario() + ": " + figure.metric()
                + (higherBetter ? " (higher is better)" : " (lower is better)"));
        String color = switch (figure.verdict()) {
            case MET -> MET;
            case NOT_MET -> NOT_MET;
            default -> UNKNOWN;
        };
        double targetValue = figure.node() == null ? 0 : figure.node().amount() * figure.target().ratio();
        double scale = Math.max(targetValue, Math.max(amount(figure.wsk()), amount(figure.node()))) * 1.08;
        bar(svg, y + 24, "wsk", figure.wsk(), figure.unit(), scale, color);
        bar(svg, y + 50, "Node", figure.node(), figure.unit(), scale, NODE);
        if (targetValue > 0 && scale > 0) {
            double x = BAR_X + BAR_WIDTH * targetValue / scale;
            svg.append(String.format(Locale.US, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"5,3\"/>%n", x, y + 20, x, y + 74, INK));
            text(svg, (int) x + 4, y + 84, 10, "normal", "start", INK, "target: " + figure.target().text() + " Node");
        }
        text(svg, RIGHT_X, y + 50, 24, "bold", "start", color, figure.ratioText());
        String verdict = switch (figure.verdict()) {
            case MET -> "met";
            case NOT_MET -> "not met";
            default -> "undecided";
        };
        text(svg, RIGHT_X, y + 70, 12, "normal", "start", color, "wsk/Node; target " + figure.target().text() + ": " + verdict);
    }

    private static void bar(StringBuilder svg, int y, String label, Value value, Unit unit, double scale, String color) {
        text(svg, 20, y + 14, 12, "normal", "start", INK, label);
        if (value == null || scale <= 0) {
            text(svg, BAR_X, y + 14, 12, "italic", "start", INK, "no figure");
            return;
        }
        double width = Math.max(1, BAR_WIDTH * value.amount() / scale);
        svg.append(String.format(Locale.US, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" rx=\"2\" fill=\"%s\"/>%n",
                BAR_X, y, width, color));
        String label2 = value.format(unit);
        // The value sits after the bar, or inside its end when the bar is nearly full width.
        if (width > BAR_WIDTH - 110) {
            text(svg, (int) (BAR_X + width - 6), y + 14, 12, "bold", "end", "#ffffff", label2);
        } else {
            text(svg, (int) (BAR_X + width + 6), y + 14, 12, "normal", "start", INK, label2);
        }
    }

    private static void legend(StringBuilder svg, int x, int y) {
        String[][] items = {{MET, "wsk, target met"}, {NOT_MET, "wsk, target not met"},
                {UNKNOWN, "wsk, undecided (a bound or a missing figure)"}, {NODE, "Node (socket.io)"}};
        for (String[] item : items) {
            svg.append(String.format(Locale.US, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 10, item[0]));
            text(svg, x + 17, y, 12, "normal", "start", INK, item[1]);
            x += 30 + item[1].length() * 7;
        }
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
