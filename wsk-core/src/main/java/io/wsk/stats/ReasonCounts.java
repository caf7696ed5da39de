package io.wsk.stats;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times each of a fixed set of reasons happened (disconnect reasons, say), plus
 * {@link #OTHER} for any reason not known up front: the set never grows with what clients or
 * applications send, so a metrics label made from it stays low in cardinality.
 */
public final class ReasonCounts {

    public static final String OTHER = "other";

    private final Map<String, LongAdder> counts;

    public ReasonCounts(Collection<String> known) {
        Map<String, LongAdder> map = new LinkedHashMap<>();
        for (String reason : known) {
            map.put(reason, new LongAdder());
        }
        map.put(OTHER, new LongAdder());
        this.counts = Collections.unmodifiableMap(map);
    }

    public void add(String reason) {
        LongAdder count = reason == null ? null : counts.get(reason);
        (count != null ? count : counts.get(OTHER)).increment();
    }

    /** The known reasons and {@link #OTHER}, in a stable order. */
    public Set<String> reasons() {
        return counts.keySet();
    }

    public long count(String reason) {
        LongAdder count = counts.get(reason);
        return count == null ? 0 : count.sum();
    }
}
