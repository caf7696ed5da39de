package io.wsk.redis;

import io.wsk.adapter.ClusterCensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A census in one subscriber count: the namespace's channel (every node subscribes to it), and
 * each known node's own response channel {@code <channel><uid>#}, which a node that left no
 * longer holds. When Redis cannot answer, every node is taken to listen, as the default census does.
 */
final class ChannelCensus {

    private ChannelCensus() {
    }

    static CompletableFuture<ClusterCensus> of(String channel, Set<String> uids,
                                               Function<List<String>, CompletableFuture<List<Long>>> numsub) {
        List<String> asked = List.copyOf(uids);
        List<String> counted = new ArrayList<>(asked.size() + 1);
        counted.add(channel);
        asked.forEach(uid -> counted.add(channel + uid + "#"));
        return numsub.apply(counted).thenApply(counts -> ClusterCensus.fromCounts(asked, counts))
                .exceptionally(error -> ClusterCensus.assumingAllListen(1, uids));
    }
}
