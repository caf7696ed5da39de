package io.wsk.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.engine.EngineStats;
import io.wsk.stats.ReasonCounts;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

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
    /** The counters reported as they are, by the UI's names for them, with their last values. */
    private final Map<String, LongSupplier> counters = new LinkedHashMap<>();
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> closes = new HashMap<>();

    AggregatedEvents(EngineStats stats, ObjectMapper mapper) {
        this.stats = stats;
        this.mapper = mapper;
        this.pending = mapper.createArrayNode();
        counters.put("rawConnection", () -> stats.handshakes("polling") + stats.handshakes("websocket"));
        counters.put("packetsIn", stats::messagesIn);
        counters.put("packetsOut", stats::framesOut);
        counters.put("bytesIn", stats::bytesIn);
        counters.put("bytesOut", stats::bytesOut);
        // From now on: what happened before the UI was instrumented is not news.
        counters.forEach((type, counter) -> last.put(type, counter.getAsLong()));
        ReasonCounts reasons = stats.closes();
        for (String reason : reasons.reasons()) {
            closes.put(reason, reasons.count(reason));
        }
    }

    /** Records what changed since the last sample, under the second {@code nowMillis} falls in. */
    synchronized void sample(long nowMillis) {
        long second = nowMillis - nowMillis % 1000;
        counters.forEach((type, counter) -> {
            long now = counter.getAsLong();
            add(second, type, null, now - last.put(type, now));
        });
        ReasonCounts reasons = stats.closes();
        for (String reason : reasons.reasons()) {
            long count = reasons.count(reason);
            Long before = closes.put(reason, count);
            add(second, "rawDisconnection", reason, count - (before == null ? 0 : before));
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
