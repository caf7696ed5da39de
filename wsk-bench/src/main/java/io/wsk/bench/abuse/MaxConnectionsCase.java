package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code max-connections}: more Engine.IO WebSocket connections than the server's open-files
 * limit allows (from {@link ConnectionHolder} processes, as the harness has the same limit),
 * until the server stops completing handshakes or 21,000 were attempted. With them held: does
 * a new handshake get a clear refusal (and a Retry-After), does {@code /health} still answer,
 * and how much does the server log about it?
 */
final class MaxConnectionsCase implements AbuseCase {

    private static final int PER_HOLDER = 10_500;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> PHRASES = List.of("Too many open files", "Exception", " WARN ", " ERROR ");

    @Override
    public String name() {
        return "max-connections";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int total = run.size(21_000, 300);
        Figures f = run.figures();
        f.put("harness open-files limit (ulimit -n)", OpenFiles.limit("self"));
        ServerProcess server = run.startWsk("server", List.of());
        f.put("server open-files limit", OpenFiles.limit(Long.toString(server.pid())));
        f.put("server open files before", OpenFiles.count(server.pid()));
        f.put("load", "up to " + total + " Engine.IO WebSocket connections from holder processes of at most "
                + PER_HOLDER + " each, " + "stopping when no handshake completes for " + ConnectionHolder.STALL_SECONDS + " s");
        ServerLog log = new ServerLog(server.log());
        long logStart = log.size();
        List<HolderProcess> holders = new ArrayList<>();
        String java = run.java();
        try (RssSampler rss = run.rss(server)) {
            int remaining = total;
            String reason = "all-attempted";
            while (remaining > 0 && reason.equals("all-attempted")) {
                int share = Math.min(PER_HOLDER, remaining);
                run.say("holder " + (holders.size() + 1) + ": opening up to " + share);
                HolderProcess holder = HolderProcess.start(java, server.port(), share);
                holders.add(holder);
                if (!holder.awaitDone(Duration.ofSeconds(240))) {
                    reason = "holder did not finish";
                    break;
                }
                reason = holder.text("reason");
                remaining -= share;
            }
            long attempted = sum(holders, "attempted");
            long opened = sum(holders, "opened");
            long closed = sum(holders, "closed");
            f.put("holder processes", holders.size());
            f.put("connections attempted", attempted);
            f.put("handshakes completed", opened);
            f.put("connections held (completed, not closed since)", opened - closed);
            f.put("closed by the server after opening", closed);
            f.put("failures", sum(holders, "failed"));
            f.put("still pending (TCP connected, no handshake answer)", sum(holders, "pending"));
            holders.stream().map(h -> h.text("first_failure")).filter(s -> s != null).findFirst()
                    .ifPresent(s -> f.put("first failure", s.replace('_', ' ')));
            f.put("why opening stopped", reason);
            f.put("server open files while held", OpenFiles.count(server.pid()));
            f.put("server-side TCP sockets by state", states(server.port()));

            run.say("probing with the connections held");
            f.put("new Socket.IO handshake (polling GET) while held",
                    HttpProbe.get(server.port(), HttpProbe.POLLING_HANDSHAKE, PROBE_TIMEOUT).describe());
            f.put("GET /health while held", HttpProbe.get(server.port(), "/health", PROBE_TIMEOUT).describe());
            log.since(logStart, PHRASES).report(f, "server log (while held)");
            rss.report(f, "server RSS");
            f.yesNo("server alive while held", server.isAlive());
        } finally {
            holders.forEach(HolderProcess::close);
        }
        Thread.sleep(3000);
        f.put("GET /health 3 s after the connections closed", HttpProbe.get(server.port(), "/health", PROBE_TIMEOUT).describe());
        f.put("server open files 3 s after the connections closed", OpenFiles.count(server.pid()));
        log.since(logStart, PHRASES).report(f, "server log (whole case)");
        f.yesNo("server alive at the end", server.isAlive());
    }

    private static long sum(List<HolderProcess> holders, String key) {
        return holders.stream().mapToLong(h -> h.number(key)).sum();
    }

    private static String states(int port) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TcpSocket s : SocketTable.serverSide(port)) {
            counts.merge(s.state(), 1, Integer::sum);
        }
        return counts.isEmpty() ? "none" : counts.toString();
    }
}
