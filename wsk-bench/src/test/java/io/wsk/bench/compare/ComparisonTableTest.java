package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonTableTest {

    @Test
    void aColumnPerServerAndARatioPerReference() {
        String markdown = ComparisonTable.markdown(BarChartTest.THREE);
        List<String> lines = markdown.lines().toList();
        assertThat(lines.get(0)).isEqualTo(
                "| scenario | metric | wsk | Node | netty-socketio | wsk/Node | wsk/netty-socketio | target | met? |");
        assertThat(lines.get(1)).isEqualTo("|---|---|--:|--:|--:|--:|--:|--:|:-:|");
        assertThat(lines.get(2)).isEqualTo(
                "| fanout | deliveries/s | 900,000/s | 100,000/s | 300,000/s | 9.00× | 3.00× | ≥ 8× | **yes** |");
        assertThat(lines.get(3)).isEqualTo(
                "|  | server CPU per delivery | 0.75 µs | 8.00 µs | 2.50 µs | 0.09× | 0.30× |  |  |");
    }

    @Test
    void aServerThatCannotRunAScenarioSaysSo() {
        String markdown = ComparisonTable.markdown(BarChartTest.THREE);
        assertThat(markdown).contains(
                "| relay | max sustainable msg/s | 96,000/s | 48,000/s | not supported | 2.00× | — | ≥ 3× | **NO** |");
        String text = ComparisonTable.text(BarChartTest.THREE);
        assertThat(text.lines().filter(line -> line.contains("not supported"))).hasSize(2);
    }

    @Test
    void leavingAReferenceOutLeavesOutItsColumns() {
        ModeResult nodeOnly = new ModeResult(Mode.WHOLE, List.of(ServerKind.NODE), BarChartTest.THREE.figures(),
                List.of(), "", "", Duration.ZERO);
        assertThat(ComparisonTable.markdown(nodeOnly).lines().findFirst().orElseThrow())
                .isEqualTo("| scenario | metric | wsk | Node | wsk/Node | target | met? |");
        ModeResult nsioOnly = new ModeResult(Mode.WHOLE, List.of(ServerKind.NETTY_SOCKETIO), BarChartTest.THREE.figures(),
                List.of(), "", "", Duration.ZERO);
        assertThat(ComparisonTable.markdown(nsioOnly))
                .contains("| scenario | metric | wsk | netty-socketio | wsk/netty-socketio | target | met? |")
                // The targets are on wsk/Node: without Node, undecided.
                .contains("| fanout | deliveries/s | 900,000/s | 300,000/s | 3.00× | ≥ 8× | **?** |");
    }

    @Test
    void everyRateHasItsServerCpuPerOperation() {
        ModeResult result = BarChartTest.THREE;
        for (Figure figure : result.figures()) {
            if (figure.unit() == Unit.PER_SECOND) {
                assertThat(result.cpuPerOperation(figure)).as(figure.metric()).isPresent()
                        .get().extracting(Figure::scenario).isEqualTo(figure.scenario());
            }
        }
        assertThat(result.cpuPerOperation(result.figures().get(1))).as("a CPU row has none of its own").isEmpty();
    }

    @Test
    void referencesAreNamedAsOnTheCommandLine() {
        assertThat(ServerKind.reference("node")).isEqualTo(ServerKind.NODE);
        assertThat(ServerKind.reference(" Netty-SocketIO")).isEqualTo(ServerKind.NETTY_SOCKETIO);
        assertThat(ServerKind.withWsk(List.of(ServerKind.NETTY_SOCKETIO)))
                .containsExactly(ServerKind.WSK, ServerKind.NETTY_SOCKETIO);
        assertThatThrownBy(() -> ServerKind.reference("wsk"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
