package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BarChartTest {

    private static final ModeResult RESULT = new ModeResult(Mode.PINNED, List.of(ServerKind.NODE), List.of(
            Figure.of("fanout", "deliveries/s", Unit.PER_SECOND, Value.of(900_000), Value.of(100_000), Target.atLeast(8)),
            Figure.of("fanout", "latency p99", Unit.LATENCY_MICROS, Value.of(900), Value.of(1000), null),
            Figure.of("conns", "RSS per idle <connection>", Unit.BYTES, Value.of(7000), null, Target.atMostOneIn(3))),
            List.of("a note"), "0.1 0.2 0.3", "0.4 0.5 0.6", Duration.ofMinutes(3));

    /** Both references; netty-socketio cannot run the relay. */
    static final ModeResult THREE = new ModeResult(Mode.WHOLE, ServerKind.references(), List.of(
            figure("fanout", "deliveries/s", Unit.PER_SECOND, 900_000, 100_000, 300_000, Set.of(), Target.atLeast(8)),
            figure("fanout", "server CPU per delivery", Unit.CPU_MICROS, 0.75, 8, 2.5, Set.of(), null),
            figure("relay", "max sustainable msg/s", Unit.PER_SECOND, 96_000, 48_000, Double.NaN,
                    Set.of(ServerKind.NETTY_SOCKETIO), Target.atLeast(3)),
            figure("relay", "server CPU per message at the max (2 nodes + Redis)", Unit.CPU_MICROS, 50, 45, Double.NaN,
                    Set.of(ServerKind.NETTY_SOCKETIO), null)),
            List.of(), "0.1 0.2 0.3", "0.4 0.5 0.6", Duration.ofMinutes(3));

    static Figure figure(String scenario, String metric, Unit unit, double wsk, double node, double nsio,
                         Set<ServerKind> notSupported, Target target) {
        Map<ServerKind, Value> values = Double.isNaN(nsio)
                ? Map.of(ServerKind.WSK, Value.of(wsk), ServerKind.NODE, Value.of(node))
                : Map.of(ServerKind.WSK, Value.of(wsk), ServerKind.NODE, Value.of(node), ServerKind.NETTY_SOCKETIO, Value.of(nsio));
        return new Figure(scenario, metric, unit, values, notSupported, target);
    }

    @Test
    void drawsTwoBarsAndATargetLinePerTargetedFigure() throws Exception {
        String svg = BarChart.svg("wsk & Node", List.of(RESULT));

        Document doc = parse(svg);
        // Background, four legend swatches, two bars for fanout, one for conns (Node's is missing).
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 4 + 3);
        assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(1);
        assertThat(svg).contains("9.00×", "met", "RSS per idle &lt;connection&gt;", "no figure", "wsk &amp; Node")
                .doesNotContain("latency p99", "netty-socketio");
    }

    @Test
    void drawsABarPerServerWithItsCpuPerOperationAndEveryRatio() throws Exception {
        String svg = BarChart.svg("three", List.of(THREE));

        Document doc = parse(svg);
        // Background, five legend swatches, three bars for fanout, two for relay (netty-socketio: not supported).
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 5 + 3 + 2);
        assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(2);
        assertThat(svg).contains("9.00×", "wsk/netty-socketio: 3.00×", "wsk/netty-socketio: not supported",
                "900,000/s · server CPU 0.75 µs/op", "300,000/s · server CPU 2.50 µs/op", "100,000/s · server CPU 8.00 µs/op",
                "96,000/s · server CPU 50.0 µs/op", "Node (socket.io)");
    }

    @Test
    void tablesShowEveryFigureWithItsRatioAndVerdict() {
        String text = ComparisonTable.text(RESULT);
        assertThat(text).contains("900,000/s", "100,000/s", "9.00×", "≥ 8×", "yes", "—", "note: a note");
        String markdown = ComparisonTable.markdown(RESULT);
        assertThat(markdown.lines()).hasSize(2 + 3);
        assertThat(markdown).contains("| fanout | deliveries/s | 900,000/s | 100,000/s | 9.00× | ≥ 8× | **yes** |");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
