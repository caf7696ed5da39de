package io.wsk.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code relay} and {@code relay-streams}: messages from a publisher on node A to a receiver on
 * node B, through one Redis, for a pair of wsk nodes ({@code --adapter redis}, or
 * {@code redis-streams}) and a pair of Node servers ({@code @socket.io/redis-adapter}, or
 * {@code @socket.io/redis-streams-adapter}), all on the servers' cores, with one redis-server of the
 * harness's own. Each pair climbs a ladder of fixed rates (open loop) until the first it does not
 * sustain in two attempts; then both run at half of Node's highest sustained rate, where their p99
 * latencies are compared.
 *
 * <p>Order, so that both half-rate runs come right after the same warm-up on fresh servers: Node's
 * ladder first (it sets the half rate); then a fresh wsk pair: warm-up, half rate, ladder; then a
 * fresh Node pair: warm-up, half rate. A pair that failed a rate may still be working off its
 * backlog, so no measured run follows a ladder on the same pair.
 */
final class RelayComparison implements ScenarioComparison {

    /** The pub/sub adapters ({@code relay}, with the targets). */
    static RelayComparison pubSub() {
        return new RelayComparison("relay", "redis", true);
    }

    /**
     * The Redis Streams adapters ({@code relay-streams}): wsk's {@code --adapter redis-streams}
     * against Node with {@code @socket.io/redis-streams-adapter}. No targets: a durable stream
     * costs more per message than pub/sub for both, and the row shows by how much.
     */
    static RelayComparison streams() {
        return new RelayComparison("relay-streams", "redis-streams", false);
    }

    private final String name;
    private final String adapter;
    private final boolean targeted;

    private RelayComparison(String name, String adapter, boolean targeted) {
        this.name = name;
        this.adapter = adapter;
        this.targeted = targeted;
    }

    private static final String MAX = "max sustainable msg/s";
    private static final String MAX_CPU = "server CPU per message at the max (2 nodes + Redis)";
    private static final String HALF_P50 = "p50 at half";
    private static final String HALF_P999 = "p99.9 at half";
    private static final String HALF_CPU = "server CPU per message at half (2 nodes + Redis)";
    /** Before a missed rate's second attempt: the pair works off what the miss left queued. */
    private static final int RETRY_PAUSE_SECONDS = 5;

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(ComparisonSetup setup, Findings findings) throws Exception {
        if (!setup.references().contains(ServerKind.NODE)) {
            // Its half rate is half Node's maximum, and its targets are ratios to Node.
            findings.note(name + ": skipped, it measures at half Node's maximum and Node was left out (--references)");
            return;
        }
        RunSizes sizes = setup.sizes();
        List<Integer> ladder = sizes.relayRates();
        try (ServerProcess redis = setup.servers().redis()) {
            String redisUrl = "redis://" + ServerProcess.HOST + ":" + redis.port();

            List<RelayStep> nodeSteps;
            try (Pair pair = Pair.start(setup, ServerKind.NODE, redisUrl, adapter, redis)) {
                warmUp(setup, pair);
                nodeSteps = climb(setup, pair, ladder);
            }
            Value nodeMax = RelayStep.maxSustained(nodeSteps, ladder);
            int half = nodeMax.amount() > 0 ? (int) nodeMax.amount() / 2 : ladder.get(0) / 2;
            if (nodeMax.amount() == 0) {
                findings.note("relay Node: not even " + ladder.get(0) + " msg/s was sustained; the latency "
                        + "comparison runs at " + half + " msg/s");
            }

            RelayStep wskHalf;
            List<RelayStep> wskSteps;
            try (Pair pair = Pair.start(setup, ServerKind.WSK, redisUrl, adapter, redis)) {
                warmUp(setup, pair);
                wskHalf = step(setup, pair, half, sizes.relayHalfRateSeconds(), sizes.relayStepWarmupSeconds());
                wskSteps = climb(setup, pair, ladder);
            }
            RelayStep nodeHalf;
            try (Pair pair = Pair.start(setup, ServerKind.NODE, redisUrl, adapter, redis)) {
                warmUp(setup, pair);
                nodeHalf = step(setup, pair, half, sizes.relayHalfRateSeconds(), sizes.relayStepWarmupSeconds());
            }

            findings.note(name + " ladder, wsk: " + describe(wskSteps));
            findings.note(name + " ladder, Node: " + describe(nodeSteps));
            String p99 = String.format(Locale.US, "p99 at half Node's max (%,d msg/s)", half);
            SideBySide figures = new SideBySide(name());
            figures.metric(MAX, Unit.PER_SECOND, targeted ? Target.atLeast(3) : null)
                    .metric(MAX_CPU, Unit.CPU_MICROS)
                    .metric(p99, Unit.LATENCY_MICROS, targeted ? Target.atMostOneIn(5) : null)
                    .metric(HALF_P50, Unit.LATENCY_MICROS)
                    .metric(HALF_P999, Unit.LATENCY_MICROS)
                    .metric(HALF_CPU, Unit.CPU_MICROS);
            Value wskMax = RelayStep.maxSustained(wskSteps, ladder);
            figures.put(ServerKind.WSK, MAX, wskMax);
            figures.put(ServerKind.NODE, MAX, nodeMax);
            figures.put(ServerKind.WSK, MAX_CPU, RelayStep.cpuAt(wskSteps, wskMax));
            figures.put(ServerKind.NODE, MAX_CPU, RelayStep.cpuAt(nodeSteps, nodeMax));
            if (setup.references().contains(ServerKind.NETTY_SOCKETIO)) {
                figures.notSupported(ServerKind.NETTY_SOCKETIO);
                findings.note(name + " netty-socketio: not supported. Its cluster store (Redisson) publishes its own "
                        + "messages, not @socket.io/redis-adapter's (or the streams adapter's), so it has no adapter "
                        + "comparable with the other two servers'");
            }
            recordHalf(findings, figures, ServerKind.WSK, wskHalf, p99);
            recordHalf(findings, figures, ServerKind.NODE, nodeHalf, p99);
            figures.figures().forEach(findings::add);
        }
    }

    private static void recordHalf(Findings findings, SideBySide figures, ServerKind kind, RelayStep step, String p99) {
        if (step.result() == null) {
            findings.note("relay " + kind.label() + ": the half-rate run gave no result");
            return;
        }
        if (!step.sustained()) {
            findings.note("relay " + kind.label() + ": not sustained at half Node's max: " + step.describe());
        }
        figures.put(kind, p99, step.result().number("p99_us"));
        figures.put(kind, HALF_P50, step.result().number("p50_us"));
        figures.put(kind, HALF_P999, step.result().number("p999_us"));
        figures.put(kind, HALF_CPU, step.cpuMicrosPerMessage());
    }

    /** One long run at the ladder's first rate: the JIT (and Node's) warm-up, once per pair; not measured. */
    private static void warmUp(ComparisonSetup setup, Pair pair) throws InterruptedException {
        RunSizes sizes = setup.sizes();
        if (sizes.relayServerWarmupSeconds() == 0) {
            return;
        }
        setup.say("relay " + pair.kind.label() + ": warm-up, " + sizes.relayServerWarmupSeconds() + " s at "
                + sizes.relayRates().get(0) + " msg/s, not measured");
        step(setup, pair, sizes.relayRates().get(0), sizes.relayServerWarmupSeconds(), 0);
    }

    /**
     * Each rate in turn, up to and including the first the pair does not sustain twice. A rate
     * missed once is run again after {@value #RETRY_PAUSE_SECONDS} s, so that one stall (a pause
     * anywhere on the box in a 5 s window) does not end the climb: the same build had stopped at
     * 48,000 in one run and held 80,000 in the next. Both attempts are kept, and shown.
     */
    private static List<RelayStep> climb(ComparisonSetup setup, Pair pair, List<Integer> ladder)
            throws InterruptedException {
        List<RelayStep> steps = new ArrayList<>();
        for (int rate : ladder) {
            RelayStep step = climbStep(setup, pair, rate);
            steps.add(step);
            if (!step.sustained()) {
                // Whatever the missed step left queued is worked off first; if any is left, it
                // counts against the second attempt, not for it.
                Thread.sleep(RETRY_PAUSE_SECONDS * 1000L);
                step = climbStep(setup, pair, rate);
                steps.add(step);
                if (!step.sustained()) {
                    break;
                }
            }
        }
        return steps;
    }

    private static RelayStep climbStep(ComparisonSetup setup, Pair pair, int rate) throws InterruptedException {
        RelayStep step = step(setup, pair, rate, setup.sizes().relayStepSeconds(), setup.sizes().relayStepWarmupSeconds());
        setup.say("relay " + pair.kind.label() + ": " + step.describe());
        return step;
    }

    private static RelayStep step(ComparisonSetup setup, Pair pair, int rate, int seconds, int warmup)
            throws InterruptedException {
        List<String> args = List.of("relay", "--publish-url", pair.a.socketIoUrl(), "--receive-url", pair.b.socketIoUrl(),
                "--rate", Integer.toString(rate), "--seconds", Integer.toString(seconds),
                "--warmup", Integer.toString(warmup), "--payload", Integer.toString(setup.sizes().payload()),
                "--drain", Integer.toString(setup.sizes().relayDrainSeconds()));
        List<ServerProcess> watched = List.of(pair.a, pair.b, pair.redis);
        try (ScenarioRun run = setup.generator("relay " + pair.kind.label() + " " + rate, args, watched)) {
            run.awaitExit(Duration.ofSeconds(warmup + seconds + setup.sizes().relayDrainSeconds() + 60L));
            Optional<ResultFields> result = run.result();
            if (result.isEmpty()) {
                setup.say("relay " + pair.kind.label() + " at " + rate + ": no result (" + run.failure() + ")");
                return new RelayStep(rate, null, Double.NaN);
            }
            return new RelayStep(rate, result.get(), serverCpuPerMessage(result.get(), run, watched));
        }
    }

    /**
     * The CPU the two nodes and Redis spent per message sent in the measured window (at a sustained
     * rate every one of them is delivered within it, give or take the last milliseconds).
     */
    private static double serverCpuPerMessage(ResultFields result, ScenarioRun run, List<ServerProcess> servers) {
        Optional<UsageSample> start = run.mark("start");
        Optional<UsageSample> end = run.mark("end");
        double sent = result.number("sent");
        if (start.isEmpty() || end.isEmpty() || sent <= 0) {
            return Double.NaN;
        }
        return end.get().cpuSecondsSince(start.get(), servers.stream().map(ServerProcess::pid).toList()) * 1e6 / sent;
    }

    private static String describe(List<RelayStep> steps) {
        return steps.isEmpty() ? "no rate run" : steps.stream().map(RelayStep::describe).collect(Collectors.joining(", "));
    }

    /** Two nodes of one kind on the same Redis: A takes the publisher, B the receiver. */
    private static final class Pair implements AutoCloseable {
        final ServerKind kind;
        final ServerProcess a;
        final ServerProcess b;
        final ServerProcess redis;

        private Pair(ServerKind kind, ServerProcess a, ServerProcess b, ServerProcess redis) {
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.redis = redis;
        }

        static Pair start(ComparisonSetup setup, ServerKind kind, String redisUrl, String adapter, ServerProcess redis) {
            ServerProcess a = setup.servers().start(kind, redisUrl, adapter);
            try {
                return new Pair(kind, a, setup.servers().start(kind, redisUrl, adapter), redis);
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }
}
