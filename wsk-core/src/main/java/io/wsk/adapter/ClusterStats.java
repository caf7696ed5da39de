package io.wsk.adapter;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a node's cluster adapters asked the other nodes, every namespace together: requests that
 * wait for answers (broadcasts with acks, fetchSockets, serverSideEmit with acks, socket counts),
 * and the answers that did not come in time, one per silent node and request.
 */
public final class ClusterStats {

    private final LongAdder requests = new LongAdder();
    private final LongAdder missedAnswers = new LongAdder();

    void requested() {
        requests.increment();
    }

    void missed(int nodes) {
        missedAnswers.add(nodes);
    }

    public long requests() {
        return requests.sum();
    }

    public long missedAnswers() {
        return missedAnswers.sum();
    }
}
