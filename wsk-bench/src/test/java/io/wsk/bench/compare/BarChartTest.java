package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BarChartTest {

    private static final ModeResult RESULT = new ModeResult(Mode.PINNED, List.of(
            new Figure("fanout", "deliveries/s", Unit.PER_SECOND, Value.of(900_000), Value.of(100_000), Target.atLeast(8)),
            new Figure("fanout", "latency p99", Unit.LATENCY_MICROS, Value.of(900), Value.of(1000), null),
            new Figure("conns", "RSS per idle <connection>", Unit.BYTES, Value.of(7000), null, Target.atMostOneIn(3))),
            List.of("a note"), "0.1 0.2 0.3", "0.4 0.5 0.6", Duration.ofMinutes(3));

    @Test
    void drawsTwoBarsAndATargetLinePerTargetedFigure() throws Exception {
        String svg = BarChart.svg("wsk & Node", List.of(RESULT));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        // Background, four legend swatches, two bars for fanout, one for conns (Node's is missing).
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 4 + 3);
        assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(1);
        assertThat(svg).contains("9.00×", "met", "RSS per idle &lt;connection&gt;", "no figure", "wsk &amp; Node")
                .doesNotContain("latency p99");
    }

    @Test
    void tablesShowEveryFigureWithItsRatioAndVerdict() {
        String text = ComparisonTable.text(RESULT);
        assertThat(text).contains("900,000/s", "100,000/s", "9.00×", "≥ 8×", "yes", "—", "note: a note");
        String markdown = ComparisonTable.markdown(RESULT);
        assertThat(markdown.lines()).hasSize(2 + 3);
        assertThat(markdown).contains("| fanout | deliveries/s | 900,000/s | 100,000/s | 9.00× | ≥ 8× | **yes** |");
    }
}
