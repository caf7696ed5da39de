package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FigureTest {

    private static Figure figure(Value wsk, Value node, Target target) {
        return Figure.of("s", "m", Unit.PER_SECOND, wsk, node, target);
    }

    @Test
    void throughputTargetIsMetAtTheRatio() {
        assertThat(figure(Value.of(800), Value.of(100), Target.atLeast(8)).verdict()).isEqualTo(Figure.Verdict.MET);
        assertThat(figure(Value.of(799), Value.of(100), Target.atLeast(8)).verdict()).isEqualTo(Figure.Verdict.NOT_MET);
        assertThat(figure(Value.of(799), Value.of(100), Target.atLeast(8)).ratioText()).isEqualTo("7.99×");
    }

    @Test
    void memoryTargetWantsAtMostTheFraction() {
        assertThat(figure(Value.of(30), Value.of(100), Target.atMostOneIn(3)).verdict()).isEqualTo(Figure.Verdict.MET);
        assertThat(figure(Value.of(34), Value.of(100), Target.atMostOneIn(3)).verdict()).isEqualTo(Figure.Verdict.NOT_MET);
    }

    @Test
    void aLowerBoundOnWskProvesOnlyAMet() {
        Value capped = new Value(64_000, true);
        assertThat(figure(capped, Value.of(8000), Target.atLeast(3)).verdict()).isEqualTo(Figure.Verdict.MET);
        assertThat(figure(capped, Value.of(32_000), Target.atLeast(3)).verdict()).isEqualTo(Figure.Verdict.UNKNOWN);
        assertThat(figure(capped, Value.of(8000), Target.atLeast(3)).ratioText()).startsWith("≥ ");
    }

    @Test
    void aLowerBoundOnNodeProvesOnlyAMiss() {
        Value capped = new Value(64_000, true);
        assertThat(figure(Value.of(64_000), capped, Target.atLeast(3)).verdict()).isEqualTo(Figure.Verdict.NOT_MET);
        assertThat(figure(new Value(64_000, true), capped, Target.atLeast(3)).verdict()).isEqualTo(Figure.Verdict.UNKNOWN);
    }

    @Test
    void missingFiguresHaveNoRatioAndNoVerdict() {
        assertThat(figure(null, Value.of(1), Target.atLeast(8)).verdict()).isEqualTo(Figure.Verdict.UNKNOWN);
        assertThat(figure(Value.of(1), Value.of(0), Target.atLeast(8)).ratioText()).isEqualTo("—");
        assertThat(figure(Value.of(1), Value.of(1), null).verdict()).isEqualTo(Figure.Verdict.NO_TARGET);
    }

    @Test
    void eachReferenceHasItsOwnRatioAndTheTargetIsOnNode() {
        Figure figure = new Figure("s", "m", Unit.PER_SECOND, Map.of(ServerKind.WSK, Value.of(900),
                ServerKind.NODE, Value.of(100), ServerKind.NETTY_SOCKETIO, Value.of(300)), Set.of(), Target.atLeast(8));
        assertThat(figure.ratioText(ServerKind.NODE)).isEqualTo("9.00×");
        assertThat(figure.ratioText(ServerKind.NETTY_SOCKETIO)).isEqualTo("3.00×");
        assertThat(figure.verdict()).isEqualTo(Figure.Verdict.MET);
    }

    @Test
    void withoutNodeTheTargetIsUndecided() {
        Figure figure = new Figure("s", "m", Unit.PER_SECOND, Map.of(ServerKind.WSK, Value.of(900),
                ServerKind.NETTY_SOCKETIO, Value.of(300)), Set.of(), Target.atLeast(8));
        assertThat(figure.verdict()).isEqualTo(Figure.Verdict.UNKNOWN);
        assertThat(figure.ratioText(ServerKind.NODE)).isEqualTo("—");
    }

    @Test
    void aServerThatCannotRunTheScenarioIsNotSupportedRatherThanMissing() {
        Figure figure = new Figure("relay", "m", Unit.PER_SECOND, Map.of(ServerKind.WSK, Value.of(900)),
                Set.of(ServerKind.NETTY_SOCKETIO), null);
        assertThat(figure.supported(ServerKind.NETTY_SOCKETIO)).isFalse();
        assertThat(figure.supported(ServerKind.NODE)).isTrue();
        assertThat(figure.ratio(ServerKind.NETTY_SOCKETIO)).isEmpty();
    }
}
