package io.wsk.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.engine.EngineStats;
import io.wsk.stats.ReasonCounts;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-second counts of {@code server_stats.aggregatedEvents}: connections, disconnections by
 * reason, packets and bytes in and out. The reference counts each packet as it passes; here the
 * engine's own counters are read once a second and the differences reported, so the hot path
 * pays nothing for the admin UI.
 */
final class AggregatedEvents {

    /** Ten minutes of seconds: what is kept if nothing drains (it is drained every 2 s). */
    private static final int MAX_BUCKETS = 6 * 600;

    private final EngineStats stats;
    private final ObjectMapper mapper;
    private ArrayNode pending;
    private long connections;
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long bytesOut;
    private final Map<String, Long> closes = new HashMap<>();

    AggregatedEvents(EngineStats stats, ObjectMapper mapper) {
        this.stats = stats;
        this.mapper = mapper;
        this.pending = mapper.createArrayNode();
        // From now on: what happened before the UI was instrumented is not news.
        connections = connectionsSoFar();
        packetsIn = stats.messagesIn();
        packetsOut = stats.framesOut();
        bytesIn = stats.bytesIn();
        bytesOut = stats.bytesOut();
        ReasonCounts reasons = stats.closes();
        for (String reason : reasons.reasons()) {
            closes.put(reason, reasons.count(reason));
        }
    }

    private long connectionsSoFar() {
        return stats.handshakes("polling") + stats.handshakes("websocket");
    }

    /** Records what changed since the last sample, under the second {@code nowMillis} falls in. */
    synchronized void sample(long nowMillis) {
        long second = nowMillis - nowMillis % 1000;
        long c = connectionsSoFar();
        add(second, "rawConnection", null, c - connections);
        connections = c;
        long pin = stats.messagesIn();
        add(second, "packetsIn", null, pin - packetsIn);
        packetsIn = pin;
        long pout = stats.framesOut();
        add(second, "packetsOut", null, pout - packetsOut);
        packetsOut = pout;
        long bin = stats.bytesIn();
        add(second, "bytesIn", null, bin - bytesIn);
        bytesIn = bin;
        long bout = stats.bytesOut();
        add(second, "bytesOut", null, bout - bytesOut);
        bytesOut = bout;
        ReasonCounts reasons = stats.closes();
        for (String reason : reasons.reasons()) {
            long count = reasons.count(reason);
            add(second, "rawDisconnection", reason, count - closes.getOrDefault(reason, 0L));
            closes.put(reason, count);
        }
    }

    private void add(long second, String type, String subType, long count) {
        if (count <= 0 || pending.size() >= MAX_BUCKETS) {
            return;
        }
        ObjectNode bucket = pending.addObject().put("timestamp", second).put("type", type);
        if (subType != null) {
            bucket.put("subType", subType);
        }
        bucket.put("count", count);
    }

    /** The buckets since the last call. */
    synchronized ArrayNode drain() {
        ArrayNode result = pending;
        pending = mapper.createArrayNode();
        return result;
    }
}
