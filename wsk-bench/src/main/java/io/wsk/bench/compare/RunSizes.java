package io.wsk.bench.compare;

import java.util.List;

/**
 * How big and how long each run is. {@link #full()} is the comparison the issue asks for;
 * {@link #quick()} only shows that the harness works (the smoke test), its figures mean nothing.
 *
 * @param warmupSeconds            each scenario's own unmeasured warm-up ({@code --warmup})
 * @param warmRunSeconds           an unmeasured run before the measured one, on the same server (JIT), 0 for none
 * @param measureSeconds           each measured window
 * @param connsWarmup              connections the handshakes generator opens and closes before its measured ones,
 *                                 in rounds of 10,000 (the generator's and the server's JIT)
 * @param connsMemoryWarmup        connections opened and closed before the conns memory phase (kept small: see
 *                                 {@link ConnsComparison})
 * @param echoWindow               acks each echo client keeps under way in {@code echo-window}
 * @param settleSeconds            pause before reading memory: after the conns warm-up, and with all connections open;
 *                                 longer than G1's periodic collection ({@code -XX:G1PeriodicGCInterval=15000} in the
 *                                 launcher), so each server is read in the state it keeps while idle
 * @param relayServerWarmupSeconds once per server pair, at the first rate of the ladder, before anything is measured; 0 for none
 * @param relayDrainSeconds        how long after a relay window its messages still count as delivered
 */
record RunSizes(boolean quickRun, int fanoutReceivers, int fanoutInFlight, int payload, int echoClients,
                int echoWindow, int conns, int connsInFlight, int connsMemoryWarmup, int connsWarmup,
                int warmupSeconds, int warmRunSeconds, int measureSeconds, int settleSeconds,
                List<Integer> relayRates, int relayServerWarmupSeconds, int relayStepWarmupSeconds,
                int relayStepSeconds, int relayHalfRateSeconds, int relayDrainSeconds) {

    /**
     * The sizes. Each wsk server gets 30 s of load before its first measured second
     * (the warm-up run's 5 + 20 s and the measured run's own 5 s): the JIT needs tens of seconds.
     * The conns warm-up opens and closes 50,000 connections from the measuring generator process
     * itself: after 10,000 the server's handshake path was still not fully compiled (155 µs of server
     * CPU per handshake in the run, 63 µs once warm), and a generator that had opened only the
     * measured 15,000 spent 38 % of its core compiling (perf), holding wsk to 6,500 handshakes/s
     * against 20,000 after 50,000 warm-up ones.
     */
    static RunSizes full() {
        return new RunSizes(false, 1000, 8, 64, 100, 8,
                15_000, 500, 2000, 50_000,
                5, 20, 10, 20,
                List.of(2000, 4000, 8000, 12_000, 16_000, 24_000, 32_000, 40_000, 48_000, 56_000, 64_000, 72_000, 80_000, 96_000,
                        112_000, 128_000),
                30, 3, 5, 10, 2);
    }

    /** Tiny sizes, one-second windows and no warm-up runs: the smoke test's. */
    static RunSizes quick() {
        return new RunSizes(true, 50, 8, 64, 10, 4,
                300, 100, 50, 100,
                1, 0, 1, 1,
                List.of(1000), 0, 1, 1, 1, 1);
    }

    RunSizes withConns(int count) {
        return new RunSizes(quickRun, fanoutReceivers, fanoutInFlight, payload, echoClients, echoWindow, count, connsInFlight,
                connsMemoryWarmup, connsWarmup, warmupSeconds, warmRunSeconds, measureSeconds, settleSeconds,
                relayRates, relayServerWarmupSeconds, relayStepWarmupSeconds, relayStepSeconds, relayHalfRateSeconds,
                relayDrainSeconds);
    }

    RunSizes withRelayRates(List<Integer> rates) {
        return new RunSizes(quickRun, fanoutReceivers, fanoutInFlight, payload, echoClients, echoWindow, conns, connsInFlight,
                connsMemoryWarmup, connsWarmup, warmupSeconds, warmRunSeconds, measureSeconds, settleSeconds,
                List.copyOf(rates), relayServerWarmupSeconds, relayStepWarmupSeconds, relayStepSeconds,
                relayHalfRateSeconds, relayDrainSeconds);
    }
}
