package io.wsk.bench.abuse;

import io.wsk.testkit.WskNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse harness for real, at smoke-test size: {@code abuse --quick} with two cases against
 * this repository's server. It checks that the harness started the server, drove it and took
 * its figures; not that the server copes (judging that is what the figures are for).
 */
class AbuseQuickIT {

    @TempDir
    Path logs;

    @Test
    void quickCasesProduceTheirFigures() throws Exception {
        WskNode.jar(); // fails with how to build it when missing
        AbuseCommand command = new AbuseCommand();
        new CommandLine(command).parseArgs("--quick", "--cases", "ws-slow-reader,rooms", "--logs", logs.toString());

        List<CaseReport> reports = command.runAndReport(System.out);

        assertThat(reports).extracting(CaseReport::name).containsExactly("ws-slow-reader", "rooms");
        assertThat(reports).allSatisfy(r -> assertThat(r.error()).as(r.name() + " error").isNull());

        Figures slow = reports.get(0).figures();
        assertThat(slow.text("server command")).contains("serve --app bench --host 127.0.0.1 --port ");
        assertThat(slow.number("published")).isPositive();
        assertThat(slow.number("receiver received")).isPositive();
        assertThat(slow.number("receiver lost")).isNotNull();
        assertThat(slow.number("server RSS peak")).isGreaterThan(10 << 20);
        assertThat(slow.text("stalled connection, server end states seen")).isNotEmpty();
        assertThat(slow.number("stalled client drain bytes read")).isNotNull();
        assertThat(slow.text("server alive at the end")).isIn("yes", "no");

        Figures rooms = reports.get(1).figures();
        assertThat(rooms.number("(a) joins acked")).isPositive();
        assertThat(rooms.number("live heap after a full GC, before (a)")).isPositive();
        assertThat(rooms.number("live heap after a full GC, after (b)")).isPositive();
        assertThat(reports.get(1).block()).contains("== rooms", "(b) joins acked: ", "load average before: ");
    }
}
