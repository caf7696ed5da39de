package io.wsk.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.wsk.adapter.ClusterStats;
import io.wsk.engine.Engine;
import io.wsk.engine.EngineStats;
import io.wsk.engine.TransportName;
import io.wsk.server.Namespace;
import io.wsk.server.ServerStats;
import io.wsk.server.SocketIoServer;
import io.wsk.stats.ReasonCounts;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one Socket.IO server and its Engine.IO endpoint, read from their counters
 * ({@link EngineStats}, {@link ServerStats}) at scrape time: the hot path only ever adds to a
 * {@code LongAdder}. Labels are few and bounded: the endpoint's path, the transport, an Engine.IO
 * error code, a disconnect reason from a fixed list, a namespace (dynamic children under their
 * parent's label); never a socket id, an address or a room.
 */
final class WskMeters implements MeterBinder {

    private final SocketIoServer io;
    private final Set<String> namespaceGauges = ConcurrentHashMap.newKeySet();

    WskMeters(SocketIoServer io) {
        this.io = io;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Engine engine = io.engine();
        EngineStats e = engine.stats();
        Tags path = Tags.of("path", engine.options().path());
        for (TransportName transport : TransportName.values()) {
            Tags tags = path.and("transport", transport.wireName());
            Gauge.builder("wsk.engine.sessions", e, s -> s.sessions(transport.wireName())).tags(tags)
                    .description("Engine.IO sessions open now, by current transport").register(registry);
            counter(registry, "wsk.engine.handshakes", tags, "Engine.IO sessions opened, by first transport",
                    e, s -> s.handshakes(transport.wireName()));
        }
        counter(registry, "wsk.engine.upgrades", path, "Sessions upgraded from polling to WebSocket", e, EngineStats::upgrades);
        reasons(registry, "wsk.engine.refusals", path, "code", e.refusals(),
                "Requests refused, by Engine.IO error code (unavailable: 503, at capacity or draining)");
        reasons(registry, "wsk.engine.closes", path, "reason", e.closes(), "Engine.IO sessions closed, by reason");
        FunctionCounter.builder("wsk.engine.received", e, s -> s.bytesIn()).tags(path).baseUnit(BaseUnits.BYTES)
                .description("Payload bytes received (WebSocket messages, polling POST bodies)").register(registry);
        FunctionCounter.builder("wsk.engine.sent", e, s -> s.bytesOut()).tags(path).baseUnit(BaseUnits.BYTES)
                .description("Bytes handed to connections (WebSocket frames, polling response bodies)").register(registry);
        counter(registry, "wsk.engine.messages.received", path, "Engine.IO message packets received", e, EngineStats::messagesIn);
        counter(registry, "wsk.engine.frames.sent", path, "Engine.IO packets sent (messages, pings, open, close)",
                e, EngineStats::framesOut);
        counter(registry, "wsk.engine.volatile.dropped", path, "Volatile packets dropped: the client could not take them then",
                e, EngineStats::volatileDropped);
        Gauge.builder("wsk.engine.queued", engine, Engine::queuedBytes).tags(path).baseUnit(BaseUnits.BYTES)
                .description("Bytes waiting in sessions' outbound queues for their clients").register(registry);

        ServerStats s = io.stats();
        counter(registry, "wsk.socketio.connects", path, "Sockets admitted to a namespace (restored ones included)",
                s, ServerStats::connects);
        counter(registry, "wsk.socketio.recoveries", path, "Sockets that got their session back (connection state recovery)",
                s, ServerStats::recoveries);
        reasons(registry, "wsk.socketio.disconnects", path, "reason", s.disconnects(), "Sockets disconnected, by reason");
        counter(registry, "wsk.socketio.broadcasts", path, "Broadcasts emitted on this node", s, ServerStats::broadcasts);
        counter(registry, "wsk.socketio.deliveries", path, "Broadcast packets delivered to this node's sockets",
                s, ServerStats::deliveries);
        counter(registry, "wsk.socketio.ack.timeouts", path.and("target", "socket"),
                "Emits with an ack whose timeout ran out first: to one socket, or a broadcast", s, st -> st.ackTimeouts(false));
        counter(registry, "wsk.socketio.ack.timeouts", path.and("target", "broadcast"),
                "Emits with an ack whose timeout ran out first: to one socket, or a broadcast", s, st -> st.ackTimeouts(true));
        counter(registry, "wsk.cluster.requests", path, "Requests to the other nodes that wait for answers (acks,"
                + " fetchSockets, serverSideEmit, counts)", io.clusterStats(), ClusterStats::requests);
        counter(registry, "wsk.cluster.answers.missed", path, "Answers not in time: one per silent node and request",
                io.clusterStats(), ClusterStats::missedAnswers);
        io.namespaces().values().forEach(nsp -> namespaceGauge(registry, path, nsp));
        io.onNewNamespace(nsp -> namespaceGauge(registry, path, nsp));
    }

    /** One gauge per namespace family, registered when its first namespace appears. */
    private void namespaceGauge(MeterRegistry registry, Tags path, Namespace nsp) {
        String label = nsp.metricsLabel();
        if (namespaceGauges.add(label)) {
            Gauge.builder("wsk.socketio.sockets", io.stats(), st -> st.socketsByNamespace().getOrDefault(label, 0))
                    .tags(path.and("namespace", label)).description("Sockets connected now, by namespace")
                    .register(registry);
        }
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, String description,
                                    T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).tags(tags).description(description).register(registry);
    }

    private static void reasons(MeterRegistry registry, String name, Tags tags, String key, ReasonCounts counts,
                                String description) {
        for (String reason : counts.reasons()) {
            counter(registry, name, tags.and(key, reason), description, counts, c -> c.count(reason));
        }
    }
}
