package io.wsk.bench.compare;

import io.wsk.testkit.Executables;
import io.wsk.testkit.Interop;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness for real, at smoke-test size: {@code compare --quick --mode whole} against a wsk
 * server and both reference servers (Node's socket.io, netty-socketio), every scenario, for a few
 * seconds each. Not a benchmark: it checks that each scenario ran against every server that
 * supports it and gave figures that make sense, that netty-socketio's relay rows say "not
 * supported", and that the page and chart were written.
 */
class CompareQuickIT {

    @TempDir
    Path out;

    @Test
    void everyScenarioGivesFiguresForEveryServerAndThePageIsWritten() throws Exception {
        Path root = Interop.directory().getParent(); // installs the pinned npm packages
        WskNode.jar(); // fails with how to build it when missing
        assertThat(root.resolve("wsk-bench-nsio/target/wsk-bench-nsio.jar"))
                .as("netty-socketio's jar (the reactor builds wsk-bench-nsio before this module)").isRegularFile();
        Executables.require("redis-server", RedisServer.INSTALL_HINT);
        Path page = out.resolve("BENCHMARKS.md");
        CompareCommand command = new CompareCommand();
        new CommandLine(command).parseArgs("--quick", "--mode", "whole", "--scenarios", "fanout,echo,echo-window,conns,relay,relay-streams",
                "--root", root.toString(), "--out", page.toString());

        List<ModeResult> results = command.runAndReport(System.out);

        assertThat(results).hasSize(1);
        ModeResult whole = results.get(0);
        assertThat(whole.mode()).isEqualTo(Mode.WHOLE);
        assertThat(whole.notes()).as("notes").noneMatch(note -> note.contains("fail") || note.contains("no result")
                || note.contains("never"));
        assertThat(whole.targeted()).hasSize(7);
        assertThat(whole.references()).containsExactly(ServerKind.NODE, ServerKind.NETTY_SOCKETIO);
        int quickConns = RunSizes.quick().conns();
        for (ServerKind kind : whole.servers()) {
            assertThat(amount(whole, "fanout", "deliveries/s", kind)).isPositive();
            assertThat(amount(whole, "fanout", "server CPU per delivery", kind)).isPositive();
            assertThat(amount(whole, "fanout", "latency p99", kind)).isPositive();
            assertThat(amount(whole, "echo", "acks/s", kind)).isPositive();
            assertThat(amount(whole, "echo", "server CPU per ack", kind)).isPositive();
            assertThat(amount(whole, "echo-window", "acks/s", kind)).isPositive();
            assertThat(amount(whole, "conns", "handshakes/s", kind)).isPositive();
            assertThat(amount(whole, "conns", "server CPU per handshake", kind)).isPositive();
            assertThat(amount(whole, "conns", "connections held", kind)).isEqualTo(quickConns);
            assertThat(amount(whole, "conns", "server RSS, all held", kind)).isGreaterThan(10 << 20);
            // Both RSS readings, the after-GC one (the target's) included: the collection was requested.
            assertThat(figure(whole, "conns", "RSS per idle connection, " + quickConns + " held, after a full GC")
                    .of(kind)).isNotNull();
            assertThat(figure(whole, "conns", "RSS per idle connection, as the burst left it").of(kind)).isNotNull();
            if (kind == ServerKind.NETTY_SOCKETIO) {
                for (String relay : List.of("relay", "relay-streams")) {
                    Figure max = figure(whole, relay, "max sustainable msg/s");
                    assertThat(max.supported(kind)).as(relay + " of netty-socketio").isFalse();
                    assertThat(max.of(kind)).isNull();
                }
                continue;
            }
            // Whether a cold server sustains a rate on a busy box is not the smoke test's business.
            assertThat(amount(whole, "relay", "max sustainable msg/s", kind)).isNotNegative();
            assertThat(amount(whole, "relay", "p99 at half", kind)).isPositive();
            assertThat(amount(whole, "relay-streams", "max sustainable msg/s", kind)).isNotNegative();
            assertThat(amount(whole, "relay-streams", "p99 at half", kind)).isPositive();
        }

        // Every rate has the server CPU per operation right beside it, for every server that ran it.
        for (Figure rate : whole.figures().stream().filter(f -> f.unit() == Unit.PER_SECOND).toList()) {
            Figure cpu = whole.cpuPerOperation(rate).orElseThrow(() -> new AssertionError("no CPU beside " + rate));
            assertThat(whole.figures().indexOf(cpu)).as("CPU row of " + rate.metric())
                    .isEqualTo(whole.figures().indexOf(rate) + 1);
        }

        String markdown = Files.readString(page);
        assertThat(markdown).contains("## Mode: whole", "| fanout | deliveries/s", "![", "(benchmarks.svg)",
                "--quick", "[JMH.md](JMH.md)", "| wsk | Node | netty-socketio | wsk/Node | wsk/netty-socketio |",
                "netty-socketio 2.0.14", "| not supported |").doesNotContain("{{");
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve(BenchmarksPage.CHART).toFile());
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        // A background, five legend swatches, a wsk and a Node bar for each of the seven targets, and
        // a netty-socketio bar for each but relay's two.
        assertThat(svg.getElementsByTagName("rect").getLength()).isEqualTo(1 + 5 + 2 * 7 + 5);
    }

    private static double amount(ModeResult result, String scenario, String metricStart, ServerKind kind) {
        Value value = figure(result, scenario, metricStart).of(kind);
        assertThat(value).as(scenario + " " + metricStart + " of " + kind.label()).isNotNull();
        return value.amount();
    }

    private static Figure figure(ModeResult result, String scenario, String metricStart) {
        return result.figures().stream()
                .filter(f -> f.scenario().equals(scenario) && f.metric().startsWith(metricStart))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no figure " + scenario + " " + metricStart + " in " + result.figures()));
    }
}
